// Who is asking: the client's address and protocol, read from X-Forwarded-For/-Proto only across trusted proxies.
import { isIP } from 'node:net';
import { config } from '#src/config/config.ts';

export type Client = { address: string; protocol: 'http' | 'https' };

/** The comma-separated entries of every copy of a header, in order (a proxy may add a second header instead of appending). */
function entries(headers: Headers, name: string): string[] {
  const value = headers.get(name); // Headers joins repeated headers with ", "
  if (value === null) return [];
  return value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/**
 * The entry our `hops` trusted proxies vouch for: each appends the address it saw, so the Nth from the right was written
 * by the outermost of them. Anything further left came from the client and is ignored. With fewer entries than hops the
 * leftmost one is taken (as Express does); with none, the direct connection.
 */
function trustedEntry(list: string[], hops: number): string | undefined {
  if (hops === 0 || list.length === 0) return undefined;
  return list[Math.max(0, list.length - hops)];
}

/** `[::1]:443`, `203.0.113.7:5123` and bare addresses alike; null for anything that is not an IP address. */
function bareAddress(entry: string): string | null {
  if (isIP(entry)) return entry;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1] && isIP(bracketed[1]) === 6) return bracketed[1];
  const withPort = /^([\d.]+):\d+$/.exec(entry);
  if (withPort?.[1] && isIP(withPort[1]) === 4) return withPort[1];
  return null;
}

/**
 * The client behind `hops` proxies. At 0 (the default) forwarded headers are never read: anyone can send them.
 * A malformed trusted entry falls back to the direct connection rather than to something the client wrote.
 */
export function clientBehindProxies(direct: { address: string; protocol: 'http' | 'https' }, headers: Headers, hops: number): Client {
  const forwardedFor = trustedEntry(entries(headers, 'x-forwarded-for'), hops);
  const forwardedProto = trustedEntry(entries(headers, 'x-forwarded-proto'), hops)?.toLowerCase();
  return {
    address: (forwardedFor !== undefined && bareAddress(forwardedFor)) || direct.address,
    protocol: forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : direct.protocol,
  };
}

/** The client of a page or endpoint request, honouring TRUST_PROXY; the rate limits use this. */
export function requestClient(context: { request: Request; clientAddress: string }, hops: number = config().TRUST_PROXY): Client {
  const protocol = new URL(context.request.url).protocol === 'https:' ? 'https' : 'http';
  return clientBehindProxies({ address: context.clientAddress, protocol }, context.request.headers, hops);
}

/** Only the protocol, for the origin check: it runs on every request, and needs no address (which may be unknown). */
export function requestProtocol(request: Request, hops: number = config().TRUST_PROXY): Client['protocol'] {
  return requestClient({ request, clientAddress: '0.0.0.0' }, hops).protocol;
}
