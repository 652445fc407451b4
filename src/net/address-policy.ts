// Which addresses an outgoing fetch may reach: public unicast only, unless the operator allow-lists
// a host name, an address or a CIDR (FETCH_ALLOW_HOSTS: tests, the offline demo). Pure.
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface AllowList {
  hosts: ReadonlySet<string>;
  networks: readonly (readonly [Address, number])[];
}

export function parseAllowList(entries: readonly string[] = []): AllowList {
  const hosts = new Set<string>();
  const networks: [Address, number][] = [];
  for (const raw of entries) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
    if (ipaddr.isValidCIDR(entry)) networks.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const address = ipaddr.process(entry);
      networks.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (entry) hosts.add(entry);
  }
  return { hosts, networks };
}

/**
 * Why `address` may not be reached from `host`, or undefined when it may. Anything ipaddr.js does
 * not call 'unicast' is refused: loopback, private, link-local (cloud metadata), CGNAT, multicast,
 * unspecified, reserved, and their IPv6 kin (::1, fc00::/7, fe80::/10, NAT64, 6to4, Teredo).
 * IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries; IPv4-compatible (::127.0.0.1) is refused.
 */
export function refusal(address: string, host: string, allow: AllowList): string | undefined {
  if (allow.hosts.has(host.toLowerCase())) return undefined;
  const ip = ipaddr.process(address);
  if (allow.networks.some(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits))) return undefined;
  const range = ip.range();
  if (range === 'unicast' && isIpv4Compatible(ip)) return 'IPv4-compatible address';
  return range === 'unicast' ? undefined : `${range} address`;
}

/**
 * `::a.b.c.d` (::/96, deprecated by RFC 4291) is 'unicast' to ipaddr.js, but names an IPv4 address that some
 * stacks and tunnels still reach (`::127.0.0.1` → loopback): no public host has one.
 */
function isIpv4Compatible(ip: Address): boolean {
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0);
}
