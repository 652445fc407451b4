import assert from 'node:assert/strict';
import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PinflowError } from '../../src/domain/errors';
import { parseAllowList, refusal } from '../../src/net/address-policy';
import { checkLinkResolves } from '../../src/net/link-check';
import { safeFetch, safeFetchBytes } from '../../src/net/safe-fetch';

const image = Buffer.alloc(50_000, 0x5a);
const loopbackOnly = ['127.0.0.1', 'localhost'];

// ── A real server on 127.0.0.1, recording what reached it ─────────────────────────────────────
const reached: string[] = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  reached.push(`${req.method} ${url.pathname}`);
  const route = url.pathname;
  if (route === '/image') return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': image.length }).end(image);
  if (route === '/redirect') return void res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
  if (route.startsWith('/chain/')) {
    const left = Number(route.slice('/chain/'.length));
    if (left === 0) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('end of chain');
    return void res.writeHead(302, { location: `/chain/${left - 1}` }).end();
  }
  if (route === '/big') {
    // No content-length: the cap has to be enforced while reading.
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const pump = (): void => {
      while (sent < 4 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    return pump();
  }
  if (route === '/big-declared') return void res.writeHead(200, { 'content-length': 5_000_000 }).end();
  if (route === '/hang') return; // never answers
  if (route === '/stall') return void res.writeHead(200, { 'content-type': 'image/png' }).write(Buffer.alloc(1000));
  if (route === '/no-head') {
    if (req.method === 'HEAD') return void res.writeHead(405).end();
    return void res.writeHead(200).end('ok');
  }
  if (route === '/moved') return void res.writeHead(301, { location: '/image' }).end();
  res.writeHead(404).end('not here');
});
let port = 0;
const at = (host: string, path: string): string => `http://${host}:${port}${path}`;

// ── A spy on every outgoing TCP connection; it refuses any to a non-loopback literal ──────────
const connections: string[] = [];
const resolvedTo: string[] = [];
const realConnect = net.Socket.prototype.connect;

function hostOf(args: unknown[]): string {
  const first: unknown = Array.isArray(args[0]) ? args[0][0] : args[0];
  return typeof first === 'object' && first !== null && 'host' in first ? String(first.host) : '?';
}

function installSpy(): void {
  net.Socket.prototype.connect = function spy(this: net.Socket, ...args: unknown[]) {
    const host = hostOf(args);
    connections.push(host);
    this.once('lookup', (_err: unknown, address: unknown) => resolvedTo.push(String(address)));
    if (net.isIP(host) && !['127.0.0.1', '::1'].includes(host)) {
      throw new Error(`test guard: refused a real connection to ${host}`);
    }
    return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof realConnect;
}

async function failure(promise: Promise<unknown>): Promise<PinflowError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PinflowError, `expected a PinflowError, got ${String(err)}`);
    assert.equal(err.code, 'MEDIA_FETCH_FAILED');
    return err;
  }
  assert.fail('expected MEDIA_FETCH_FAILED');
}

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  installSpy();
});
after(() => {
  net.Socket.prototype.connect = realConnect;
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  reached.length = 0;
  connections.length = 0;
  resolvedTo.length = 0;
});

describe('safeFetch with the allow-list off (the default)', () => {
  const options = { maxBytes: 1_000_000 };

  for (const [name, host, why] of [
    ['127.0.0.1', '127.0.0.1', /loopback/],
    ['[::1]', '[::1]', /loopback/],
    ['10.0.0.1', '10.0.0.1', /private/],
    ['169.254.169.254 (cloud metadata)', '169.254.169.254', /linkLocal/],
    ['100.64.0.1 (CGNAT)', '100.64.0.1', /carrierGradeNat/],
    ['[::ffff:127.0.0.1] (IPv4-mapped)', '[::ffff:127.0.0.1]', /loopback/],
    ['[::ffff:a9fe:a9fe] (mapped metadata)', '[::ffff:a9fe:a9fe]', /linkLocal/],
    ['[fd00::1] (unique local)', '[fd00::1]', /uniqueLocal/],
    ['0.0.0.0', '0.0.0.0', /unspecified/],
  ] as const) {
    it(`refuses ${name} with MEDIA_FETCH_FAILED before connecting`, async () => {
      const err = await failure(safeFetch(at(host, '/image'), options));
      assert.match(err.message, why);
      assert.deepEqual(connections, [], 'no connection was attempted');
    });
  }

  it('refuses a name that resolves to loopback ("localhost") without connecting', async () => {
    const err = await failure(safeFetch(at('localhost', '/image'), options));
    assert.match(err.message, /localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    assert.deepEqual(connections, []);
    assert.deepEqual(reached, []);
  });

  it('refuses URLs that are not http(s)', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/a.png', 'gopher://x/', 'not a url']) {
      await failure(safeFetch(url, options));
    }
    assert.deepEqual(connections, []);
  });
});

describe('safeFetch with loopback allow-listed (as tests and the offline demo do)', () => {
  it('fetches bytes and their content type from 127.0.0.1 and from localhost', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const got = await safeFetchBytes(at(host, '/image'), { allowHosts: loopbackOnly, maxBytes: 1_000_000 });
      assert.ok(got.bytes.equals(image));
      assert.equal(got.contentType, 'image/png');
      assert.equal(got.status, 200);
    }
  });

  it('connects to the address it vetted, not to a second DNS answer (no rebinding)', async () => {
    const realLookup = dns.lookup;
    // If the connection resolved the name again, it would get 127.0.0.2, where nothing listens.
    const rebound = ((_host: string, options: unknown, callback: (...a: unknown[]) => void) => {
      const all = typeof options === 'object' && options !== null && 'all' in options && options.all;
      if (all) callback(null, [{ address: '127.0.0.2', family: 4 }]);
      else callback(null, '127.0.0.2', 4);
    }) as typeof dns.lookup;
    dns.lookup = rebound;
    try {
      const got = await safeFetchBytes(at('localhost', '/image'), { allowHosts: ['127.0.0.1', '::1'], maxBytes: 1_000_000 });
      assert.ok(got.bytes.equals(image));
      assert.ok(
        resolvedTo.every((a) => a === '127.0.0.1' || a === '::1'),
        `connected to ${resolvedTo.join(', ')}`,
      );
    } finally {
      dns.lookup = realLookup;
    }
  });

  it('refuses a redirect from an allowed host to the metadata address without connecting to it', async () => {
    const err = await failure(
      safeFetch(at('localhost', '/redirect?to=http://169.254.169.254/latest/meta-data/'), {
        allowHosts: ['localhost'],
        maxBytes: 1_000_000,
      }),
    );
    assert.match(err.message, /169\.254\.169\.254.*linkLocal/);
    assert.deepEqual(connections, ['localhost']);
  });

  it('refuses a redirect from an allowed name to a loopback address that is not allowed', async () => {
    const err = await failure(
      safeFetch(at('localhost', `/redirect?to=${at('127.0.0.1', '/image')}`), { allowHosts: ['localhost'], maxBytes: 1_000_000 }),
    );
    assert.match(err.message, /loopback/);
    assert.deepEqual(reached, ['GET /redirect'], 'the second hop never reached the server');
  });

  it('follows 5 redirects and refuses the 6th', async () => {
    const five = await safeFetchBytes(at('127.0.0.1', '/chain/5'), { allowHosts: loopbackOnly, maxBytes: 1000 });
    assert.equal(five.bytes.toString(), 'end of chain');
    assert.equal(five.url, at('127.0.0.1', '/chain/0'));
    const err = await failure(safeFetch(at('127.0.0.1', '/chain/6'), { allowHosts: loopbackOnly, maxBytes: 1000 }));
    assert.match(err.message, /redirected more than 5 times/);
  });

  it('stops a body that grows past the byte cap mid-stream', async () => {
    const err = await failure(safeFetchBytes(at('127.0.0.1', '/big'), { allowHosts: loopbackOnly, maxBytes: 1024 * 1024 }));
    assert.match(err.message, /more than the 1048576 bytes allowed/);
  });

  it('refuses a body whose declared length is over the cap before reading it', async () => {
    const err = await failure(safeFetch(at('127.0.0.1', '/big-declared'), { allowHosts: loopbackOnly, maxBytes: 1_000_000 }));
    assert.match(err.message, /5000000 bytes/);
  });

  it('gives up on a server that never answers, and on a body that stalls, at the deadline', async () => {
    const silent = await failure(safeFetch(at('127.0.0.1', '/hang'), { allowHosts: loopbackOnly, maxBytes: 1000, timeoutMs: 300 }));
    assert.match(silent.message, /timed out/);
    const stalled = await failure(
      safeFetchBytes(at('127.0.0.1', '/stall'), { allowHosts: loopbackOnly, maxBytes: 1_000_000, timeoutMs: 300 }),
    );
    assert.match(stalled.message, /timed out/);
  });

  it('says which status a failed fetch got', async () => {
    const err = await failure(safeFetch(at('127.0.0.1', '/nothing-here'), { allowHosts: loopbackOnly, maxBytes: 1000 }));
    assert.match(err.message, /answered 404/);
  });
});

describe('checkLinkResolves', () => {
  const allow = { allowHosts: loopbackOnly };

  it('accepts a link that answers a HEAD with 200', async () => {
    assert.deepEqual(await checkLinkResolves(at('127.0.0.1', '/image'), allow), { ok: true, status: 200 });
    assert.deepEqual(reached, ['HEAD /image']);
  });

  it('asks with GET when HEAD is not allowed (405)', async () => {
    assert.deepEqual(await checkLinkResolves(at('127.0.0.1', '/no-head'), allow), { ok: true, status: 200 });
    assert.deepEqual(reached, ['HEAD /no-head', 'GET /no-head']);
  });

  it('counts a redirect as resolving, without following it', async () => {
    assert.deepEqual(await checkLinkResolves(at('127.0.0.1', '/moved'), allow), { ok: true, status: 301 });
    assert.deepEqual(reached, ['HEAD /moved']);
  });

  it('gives the reason for a 404, a private address and a timeout', async () => {
    const missing = await checkLinkResolves(at('127.0.0.1', '/nothing'), allow);
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.reason : '', /answered 404/);
    const inside = await checkLinkResolves('http://10.0.0.1/admin');
    assert.match(!inside.ok ? inside.reason : '', /private/);
    const slow = await checkLinkResolves(at('127.0.0.1', '/hang'), { ...allow, timeoutMs: 200 });
    assert.match(!slow.ok ? slow.reason : '', /timed out/);
  });
});

describe('address policy', () => {
  const none = parseAllowList([]);

  it('refuses every non-public range and allows public unicast', () => {
    const cases: [string, RegExp | undefined][] = [
      ['172.16.5.4', /private/],
      ['192.168.1.1', /private/],
      ['100.64.0.1', /carrierGradeNat/],
      ['224.0.0.1', /multicast/],
      ['255.255.255.255', /broadcast/],
      ['fe80::1', /linkLocal/],
      ['fc00::1', /uniqueLocal/],
      ['ff02::1', /multicast/],
      ['::', /unspecified/],
      ['::ffff:10.0.0.1', /private/],
      ['64:ff9b::a00:1', /rfc6052/],
      ['8.8.8.8', undefined],
      ['2606:4700:4700::1111', undefined],
    ];
    for (const [address, why] of cases) {
      const answer = refusal(address, address, none);
      if (why) assert.match(answer ?? '', why, address);
      else assert.equal(answer, undefined, address);
    }
  });

  it('lets an allow-listed CIDR, address or host name through', () => {
    const allow = parseAllowList(['10.0.0.0/8', '::1', 'Intranet.Example']);
    assert.equal(refusal('10.1.2.3', '10.1.2.3', allow), undefined);
    assert.equal(refusal('::1', '::1', allow), undefined);
    assert.equal(refusal('192.168.0.9', 'intranet.example', allow), undefined);
    assert.match(refusal('192.168.0.9', 'other.example', allow) ?? '', /private/);
  });
});
