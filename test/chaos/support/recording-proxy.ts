// A loopback HTTP proxy in front of the emulator that notes every /v5 exchange as pinflow saw it: when the
// request arrived, when and how it was answered, Pinterest's rate-limit headers, and the pin's title. A
// connection the emulator cuts (drop after commit) is cut towards pinflow too, never turned into an answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** Path without the query. */
  path: string;
  /** The pin's title, for POST /v5/pins. */
  title?: string;
  arrivedAt: number;
  answeredAt: number;
  /** 0 when the emulator cut the connection without answering. */
  status: number;
  /** X-RateLimit-Reset, seconds. */
  resetSeconds?: number;
}

export interface RecordingProxy {
  url: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const exchanges: Exchange[] = [];
  const server = http.createServer((req, res) => {
    const arrivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0]!;
      const record = path.startsWith('/v5/');
      let title: string | undefined;
      if (req.method === 'POST' && path === '/v5/pins') {
        try {
          title = (JSON.parse(body.toString()) as { title?: string }).title;
        } catch {
          // not JSON: no title
        }
      }
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const reset = answer.headers['x-ratelimit-reset'];
          if (record) {
            exchanges.push({
              method: req.method ?? 'GET',
              path,
              title,
              arrivedAt,
              answeredAt: Date.now(),
              status: answer.statusCode ?? 0,
              resetSeconds: typeof reset === 'string' ? Number(reset) : undefined,
            });
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        if (record) exchanges.push({ method: req.method ?? 'GET', path, title, arrivedAt, answeredAt: Date.now(), status: 0 });
        res.destroy();
      });
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
