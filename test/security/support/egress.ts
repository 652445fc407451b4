// Watches every outgoing connection and host-name lookup of this process (which hosts the API): a connection
// to anything but a loopback address, or a lookup of a name not known to be local, is a violation, and the socket
// is destroyed before it connects. Temporal's client connects from Rust, outside net.Socket: not seen here.
import dns = require('node:dns');
import net from 'node:net';
import ipaddr from 'ipaddr.js';

export interface Connection {
  host: string;
  port: number;
  /** The address connected to, when `host` was a name. */
  address?: string;
}

export interface EgressWatch {
  /** Every TCP connect attempted while watching. */
  readonly connections: Connection[];
  /** Names looked up through node:dns while watching. */
  readonly lookups: string[];
  /** Non-loopback connects and non-local lookups. */
  readonly violations: string[];
  /** Connections attempted to `port` on any host. */
  connectionsTo(port: number): Connection[];
  stop(): void;
}

export function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) && ipaddr.process(bare).range() === 'loopback';
}

type ConnectArgs = [options: net.NetConnectOpts | number | string, ...rest: unknown[]];

function target(args: ConnectArgs): { host?: string; port?: number; path?: string } {
  const [first, second] = args;
  // net.Socket#connect(options | [port, host] | path); undici and pg pass an options object.
  if (Array.isArray(first)) return target(first as unknown as ConnectArgs);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; port?: number | string; path?: string };
    return { host: options.host, port: options.port === undefined ? undefined : Number(options.port), path: options.path };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { port: Number(first), host: typeof second === 'string' ? second : undefined };
}

/** `localNames`: names that resolve from /etc/hosts to loopback, which may be looked up (no DNS traffic). */
export function watchEgress(localNames: readonly string[] = ['localhost']): EgressWatch {
  const local = new Set(localNames.map((n) => n.toLowerCase()));
  const connections: Connection[] = [];
  const lookups: string[] = [];
  const violations: string[] = [];
  const originalConnect = net.Socket.prototype.connect;
  const originalLookup = dns.lookup;
  const originalPromisesLookup = dns.promises.lookup;

  const refuse = (socket: net.Socket, why: string): void => {
    violations.push(why);
    socket.destroy(new Error(`test egress watch: ${why}`));
  };

  net.Socket.prototype.connect = function watchedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const { host = 'localhost', port = 0, path } = target(args as ConnectArgs);
    if (path !== undefined) return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    const connection: Connection = { host, port };
    connections.push(connection);
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(bare)) {
      if (!isLoopback(bare)) {
        refuse(this, `connect to ${host}:${port}`);
        return this;
      }
    } else {
      this.on('lookup', (err: Error | null, address: string) => {
        if (err) return;
        connection.address = address;
        if (!isLoopback(address)) refuse(this, `connect to ${host} (${address}):${port}`);
      });
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;

  const noteLookup = (hostname: string): void => {
    lookups.push(hostname);
    if (!local.has(hostname.toLowerCase()) && !net.isIP(hostname)) violations.push(`DNS lookup of ${hostname}`);
  };
  dns.lookup = function watchedLookup(hostname: string, ...rest: unknown[]) {
    noteLookup(hostname);
    return (originalLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
  } as typeof dns.lookup;
  dns.promises.lookup = function watchedPromisesLookup(hostname: string, ...rest: unknown[]) {
    noteLookup(hostname);
    return (originalPromisesLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
  } as typeof dns.promises.lookup;

  return {
    connections,
    lookups,
    violations,
    connectionsTo: (port) => connections.filter((c) => c.port === port),
    stop() {
      net.Socket.prototype.connect = originalConnect;
      dns.lookup = originalLookup;
      dns.promises.lookup = originalPromisesLookup;
    },
  };
}
