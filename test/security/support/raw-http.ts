// Requests fetch will not make: bodies streamed from a generator, lying or missing lengths, and sockets that
// send a byte at a time. A server may answer before the body is sent and close: that answer is what counts.
import net from 'node:net';
import type { Answer } from './outcomes';

export interface RawRequest {
  method: string;
  headers?: Record<string, string>;
  /** Sent verbatim as the request target. */
  path: string;
  /** A buffer, or chunks written one after another (chunked unless a content-length header is given). */
  body?: Buffer | Iterable<Buffer>;
}

export type RawAnswer = Answer & { error?: string; bytesWritten: number };

/**
 * The answer, or `{ status: 0 }` with the socket error when the server closed without one. Over a bare socket:
 * a server that answers early (a 413) and closes makes Node's HTTP client report the failed write and drop the
 * answer it already received; here what arrived is read whatever happens to the writes.
 */
export function rawRequest(base: string, req: RawRequest): Promise<RawAnswer> {
  // The path goes out exactly as given (`//v1`, `/x/../v1`, `%2e`): a URL object would resolve it.
  const url = new URL(base);
  // Kept alive: a server that answers early then drains the rest of the body (Node does), where with
  // `connection: close` it would close on unread bytes, and the reset could discard the answer before it is read.
  const headers = { host: url.host, ...req.headers };
  const lower = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
  const chunked = req.body !== undefined && !lower.has('content-length');
  const head = [`${req.method} ${req.path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (chunked) head.push('transfer-encoding: chunked');

  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    let written = 0;
    let error: string | undefined;
    let closed = false;
    socket.on('data', (d: Buffer) => {
      received.push(d);
      if (parse(Buffer.concat(received), req.method === 'HEAD')) socket.destroy();
    });
    socket.on('error', (err) => (error ??= String(err)));
    socket.on('close', () => {
      closed = true;
      const answer = parse(Buffer.concat(received), req.method === 'HEAD');
      resolve(
        answer
          ? { ...answer, bytesWritten: written }
          : { status: 0, body: undefined, headers: new Headers(), error: error ?? 'closed without an answer', bytesWritten: written },
      );
    });
    socket.on('connect', () => {
      void (async () => {
        const write = async (bytes: Buffer): Promise<void> => {
          if (closed || socket.destroyed) return;
          written += bytes.length;
          if (socket.write(bytes)) return;
          await new Promise<void>((go) => {
            const done = (): void => {
              socket.off('drain', done).off('close', done);
              go();
            };
            socket.once('drain', done).once('close', done);
          });
        };
        socket.write(`${head.join('\r\n')}\r\n\r\n`);
        const chunks = req.body === undefined ? [] : Buffer.isBuffer(req.body) ? [req.body] : req.body;
        for (const chunk of chunks) {
          if (closed) return;
          await write(chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk);
        }
        if (chunked && !closed) socket.write('0\r\n\r\n');
      })();
    });
  });
}

/** A whole HTTP/1.1 answer with a content-length, or undefined while it is incomplete. */
function parse(bytes: Buffer, noBody = false): Answer | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  // A HEAD answer says the length of the body it does not send.
  const length = noBody ? 0 : Number(headers.get('content-length') ?? NaN);
  const rest = bytes.subarray(end + 4);
  if (!Number.isNaN(length) && rest.length < length) return undefined;
  const text = rest.subarray(0, Number.isNaN(length) ? rest.length : length).toString('utf8');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: Number(statusLine?.split(' ')[1] ?? 0), body, headers };
}

export interface Trickle {
  /** Whether the server closed the socket before the trickle ran out. */
  cutOff: boolean;
  /** What the server wrote back before closing (e.g. `HTTP/1.1 408 …`). */
  reply: string;
  bytesSent: number;
  seconds: number;
}

/**
 * Sends `head` at once (or not), then `trickle` one byte per `everyMs`, at most `maxBytes` of it: a slow-loris
 * client. Resolves when the server closes the socket or the bytes run out.
 */
export function trickle(port: number, opts: { head: string; trickle: string; everyMs: number; maxBytes: number }): Promise<Trickle> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    let sent = 0;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (cutOff: boolean): void => {
      clearInterval(timer);
      socket.destroy();
      resolve({ cutOff, reply, bytesSent: sent, seconds: Math.round((Date.now() - started) / 100) / 10 });
    };
    socket.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (closed) return;
      closed = true;
      done(true);
    });
    socket.on('connect', () => {
      if (opts.head) socket.write(opts.head);
      timer = setInterval(() => {
        if (closed) return;
        if (sent >= Math.min(opts.maxBytes, opts.trickle.length)) {
          closed = true;
          done(false);
          return;
        }
        socket.write(opts.trickle[sent]!);
        sent++;
      }, opts.everyMs);
    });
  });
}
