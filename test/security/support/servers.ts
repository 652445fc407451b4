// Loopback servers for SSRF tests: a canary that counts every request it gets (any hit from pinflow is a
// successful SSRF), and a redirector that sends every request on to the URL it is told.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Canary {
  port: number;
  /** Where it listens: `127.0.0.1` or `127.0.0.2`, and `::1` on the same port when the machine has IPv6. */
  hosts: string[];
  hits: Array<{ method: string; url: string; host: string }>;
  close(): Promise<void>;
}

async function listen(server: http.Server, port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Answers 200 with `body` to anything, and remembers it. */
export async function startCanary(host = '127.0.0.1', body: Buffer = Buffer.from('canary')): Promise<Canary> {
  const hits: Canary['hits'] = [];
  const handler: http.RequestListener = (req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '', host: req.socket.localAddress ?? '' });
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
  };
  const v4 = http.createServer(handler);
  const port = await listen(v4, 0, host);
  if (port === undefined) throw new Error(`cannot listen on ${host}`);
  const v6 = http.createServer(handler);
  const hosts = [host];
  if ((await listen(v6, port, '::1')) !== undefined) hosts.push('::1');
  const close = (s: http.Server): Promise<void> => new Promise((resolve) => (s.listening ? s.close(() => resolve()) : resolve()));
  return { port, hosts, hits, close: async () => void (await Promise.all([close(v4), close(v6)])) };
}

export interface Redirector {
  /** A URL on this server that answers `status` with `Location: to`. */
  to(target: string, status?: number): string;
  /** A URL that redirects to itself. */
  loop: string;
  hits: string[];
  close(): Promise<void>;
}

export async function startRedirector(): Promise<Redirector> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to') ?? '/' }).end();
  });
  const port = await listen(server, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  return {
    to: (target, status = 302) => `${base}/r?status=${status}&to=${encodeURIComponent(target)}`,
    loop: `${base}/loop`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Names /etc/hosts maps to a loopback address (looking them up sends no DNS query). */
export function loopbackNames(): string[] {
  const text = (() => {
    try {
      return readFileSync('/etc/hosts', 'utf8');
    } catch {
      return '';
    }
  })();
  const names = new Set(['localhost']);
  for (const line of text.split('\n')) {
    const [address, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address && (/^127\./.test(address) || address === '::1')) for (const name of aliases) if (name) names.add(name.toLowerCase());
  }
  return [...names];
}
