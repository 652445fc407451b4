// A receiver URL is checked when the webhook is created, with the rules every outgoing request follows
// (src/net/address-policy.ts): http(s) only, and no host that resolves to a private, loopback or
// link-local address unless FETCH_ALLOW_HOSTS allows it. Each delivery is vetted again by safeRequest,
// pinned to the address it vetted, so a host that later resolves elsewhere is still refused.
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { PinflowError, problem } from '../domain/errors';
import { parseAllowList, refusal } from '../net/address-policy';

export const maxUrlLength = 2048;

function invalid(message: string): PinflowError {
  return PinflowError.of([problem('WEBHOOK_URL_INVALID', message, { path: 'url' })]);
}

function forbidden(message: string): PinflowError {
  return PinflowError.of([problem('WEBHOOK_URL_FORBIDDEN', message, { path: 'url' })]);
}

function parse(text: string): URL {
  if (text.length > maxUrlLength) throw invalid(`The URL is longer than ${maxUrlLength} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`${JSON.stringify(text)} is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`A webhook URL is http or https, not ${url.protocol}.`);
  if (url.username || url.password) throw invalid('A webhook URL may not carry credentials; verify the Pinflow-Signature instead.');
  return url;
}

async function addressesOf(host: string): Promise<string[]> {
  if (net.isIP(host)) return [host];
  try {
    const found = await lookup(host, { all: true });
    return found.map((a) => a.address);
  } catch {
    throw invalid(`${host} does not resolve.`);
  }
}

/** The URL, normalized; throws WEBHOOK_URL_INVALID or WEBHOOK_URL_FORBIDDEN (422). */
export async function checkWebhookUrl(text: string, allowHosts: readonly string[]): Promise<string> {
  const url = parse(text);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const allow = parseAllowList(allowHosts);
  const addresses = await addressesOf(host);
  if (addresses.length === 0) throw invalid(`${host} does not resolve.`);
  for (const address of addresses) {
    const why = refusal(address, host, allow);
    if (why) throw forbidden(`${host} resolves to ${address}, a ${why}: webhooks are not sent to private networks.`);
  }
  return url.href;
}
