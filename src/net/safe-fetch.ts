// Fetching a user-given URL without letting it reach our own network (SSRF): http(s) only, every
// hop's address vetted before connecting, the connection pinned to the vetted address (no DNS
// rebinding), redirects followed by hand and re-vetted, a byte cap while streaming, one deadline.
import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import { Readable, Transform } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { PinflowError } from '../domain/errors';
import { parseAllowList, refusal, type AllowList } from './address-policy';

export interface FetchPolicy {
  /** Host names, addresses or CIDRs that may be reached although not public (FETCH_ALLOW_HOSTS). */
  allowHosts?: readonly string[];
  /** One deadline for everything: DNS, connecting, every redirect and the whole body. */
  timeoutMs?: number;
  maxRedirects?: number;
  headers?: Record<string, string>;
}

export interface FetchOptions extends FetchPolicy {
  /** The body may be at most this many bytes. */
  maxBytes: number;
}

export interface FetchedBody {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: Readable;
}

export interface Answer {
  url: string;
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Readable;
  /** Releases the connection and the deadline; safe to call more than once. */
  release: () => void;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_REDIRECTS = 5;

const userAgent = 'pinflow/0.1 (+media fetch)';

/** GETs `url`, answering a 2xx body that fails with MEDIA_FETCH_FAILED past `maxBytes` or the deadline. */
export async function safeFetch(url: string, options: FetchOptions): Promise<FetchedBody> {
  const answer = await safeRequest(url, { ...options, method: 'GET', followRedirects: true });
  if (answer.status < 200 || answer.status > 299) {
    answer.release();
    throw fetchFailed(`${answer.url} answered ${answer.status}${redirectNote(answer)}.`);
  }
  const length = Number(headerValue(answer.headers['content-length']));
  if (length > options.maxBytes) {
    answer.release();
    throw fetchFailed(`${answer.url} is ${length} bytes, more than the ${options.maxBytes} allowed.`);
  }
  return {
    url: answer.url,
    status: answer.status,
    contentType: headerValue(answer.headers['content-type']),
    body: capped(answer, options.maxBytes),
  };
}

/** safeFetch, collected into one buffer (at most `maxBytes`). */
export async function safeFetchBytes(url: string, options: FetchOptions): Promise<Omit<FetchedBody, 'body'> & { bytes: Buffer }> {
  const { body, ...rest } = await safeFetch(url, options);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return { ...rest, bytes: Buffer.concat(chunks) };
}

/**
 * One request with every hop vetted; answers whatever status came last (the caller judges it).
 * The caller must consume or destroy `body`, or call `release`.
 */
export async function safeRequest(
  url: string,
  // POST (webhook deliveries) carries `body`; a POST's redirect is answered, not followed, so the body goes
  // only to the URL the caller vetted.
  options: FetchPolicy & { method: 'GET' | 'HEAD' | 'POST'; body?: string; followRedirects: boolean },
): Promise<Answer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(fetchFailed(`${url} timed out: no full answer within ${timeoutMs} ms.`)), timeoutMs);
  const pins = new Map<string, LookupAddress[]>();
  // Our lookup answers only what was vetted, so the socket connects to exactly that address.
  const agent = new Agent({ connect: { lookup: pinnedLookup(pins) } });
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    void agent.destroy().catch(() => undefined);
  };

  try {
    const allow = parseAllowList(options.allowHosts);
    const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let current = parseUrl(url);
    for (let redirects = 0; ; redirects++) {
      await vet(current, allow, pins, deadline.signal);
      const answer = await send(current, options, agent, deadline.signal);
      const location = headerValue(answer.headers.location);
      if (!options.followRedirects || options.method === 'POST' || !isRedirect(answer.statusCode) || !location) {
        return { url: current.href, status: answer.statusCode, headers: answer.headers, body: answer.body, release };
      }
      answer.body.destroy();
      if (redirects >= maxRedirects) throw fetchFailed(`${url} redirected more than ${maxRedirects} times.`);
      current = parseUrl(location, current);
    }
  } catch (err) {
    release();
    throw err;
  }
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw fetchFailed(`${JSON.stringify(text)} is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw fetchFailed(`Only http and https URLs are fetched, not ${url.protocol}.`);
  return url;
}

/** Resolves the host once and refuses it if any of its addresses is not allowed; remembers the addresses. */
async function vet(url: URL, allow: AllowList, pins: Map<string, LookupAddress[]>, signal: AbortSignal): Promise<void> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host)) {
    // An address literal: Node connects to it without any lookup, so this is the only check.
    const why = refusal(host, host, allow);
    if (why) throw fetchFailed(`${url.origin} is a ${why}: pinflow does not fetch from private networks.`);
    return;
  }
  if (pins.has(host)) return;
  const addresses = await resolve(host, signal);
  for (const { address } of addresses) {
    const why = refusal(address, host, allow);
    if (why) throw fetchFailed(`${host} resolves to ${address}, a ${why}: pinflow does not fetch from private networks.`);
  }
  pins.set(host, addresses);
}

async function resolve(host: string, signal: AbortSignal): Promise<LookupAddress[]> {
  signal.throwIfAborted();
  const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  try {
    const addresses = await Promise.race([lookup(host, { all: true }), aborted]);
    if (addresses.length === 0) throw new Error('no addresses');
    return addresses;
  } catch (err) {
    if (err instanceof PinflowError) throw err;
    throw fetchFailed(`${host} does not resolve (${errorCode(err)}).`);
  }
}

function pinnedLookup(pins: ReadonlyMap<string, LookupAddress[]>): net.LookupFunction {
  return (hostname, options, callback) => {
    const addresses = pins.get(hostname);
    const first = addresses?.[0];
    if (!addresses || !first) {
      callback(Object.assign(new Error(`${hostname} was not vetted`), { code: 'ENOTVETTED' }), []);
      return;
    }
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  };
}

async function send(
  url: URL,
  options: FetchPolicy & { method: 'GET' | 'HEAD' | 'POST'; body?: string },
  agent: Agent,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  try {
    const answer = await request(url, {
      method: options.method,
      body: options.body,
      dispatcher: agent,
      signal,
      headers: { 'user-agent': userAgent, accept: '*/*', ...options.headers },
    });
    // A body we drop (a redirect, a status-only check) errors when destroyed; that must not crash the process.
    answer.body.on('error', () => undefined);
    return answer;
  } catch (err) {
    if (err instanceof PinflowError) throw err;
    throw fetchFailed(`${url.origin} could not be reached (${errorCode(err)}).`);
  }
}

/** The body, failing with MEDIA_FETCH_FAILED past maxBytes; the connection is released when it closes. */
function capped(answer: Answer, maxBytes: number): Readable {
  let seen = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(fetchFailed(`${answer.url} sent more than the ${maxBytes} bytes allowed.`));
      else done(null, chunk);
    },
  });
  answer.body.on('error', (err) =>
    out.destroy(err instanceof PinflowError ? err : fetchFailed(`${answer.url} broke off (${errorCode(err)}).`)),
  );
  out.on('close', () => {
    answer.body.destroy();
    answer.release();
  });
  answer.body.pipe(out);
  return out;
}

function isRedirect(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

function redirectNote(answer: Answer): string {
  return isRedirect(answer.status) ? ' without a Location' : '';
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(err: unknown): string {
  if (err instanceof Error) {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
    const cause = err.cause instanceof Error && 'code' in err.cause && typeof err.cause.code === 'string' ? err.cause.code : undefined;
    return cause ?? code ?? err.message;
  }
  return String(err);
}

function fetchFailed(message: string): PinflowError {
  return new PinflowError('MEDIA_FETCH_FAILED', message);
}
