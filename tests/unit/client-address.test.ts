// Who is asking: X-Forwarded-For/-Proto are read only across the configured number of trusted proxies.
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientBehindProxies, requestClient } from '#src/auth/client-address.ts';
import { parseConfig } from '#src/config/config.ts';

const direct = { address: '10.0.0.5', protocol: 'http' as const };
const ipv4 = fc.ipV4();
const ip = fc.oneof(fc.ipV4(), fc.ipV6());
/** What a client may put in a header: anything printable, commas included. */
const junk = fc.string({ unit: 'grapheme-ascii', maxLength: 40 });

function headers(forwardedFor: string[], proto?: string[]): Headers {
  const h = new Headers();
  if (forwardedFor.length > 0) h.set('x-forwarded-for', forwardedFor.join(', '));
  if (proto) h.set('x-forwarded-proto', proto.join(', '));
  return h;
}

describe('the client behind proxies', () => {
  it('at 0 hops ignores forwarded headers whatever they say', () => {
    fc.assert(
      fc.property(fc.array(junk), fc.array(fc.constantFrom('https', 'http', 'HTTPS', 'gopher')), (xff, proto) => {
        expect(clientBehindProxies(direct, headers(xff, proto), 0)).toEqual(direct);
      }),
    );
  });

  it('at N hops takes the Nth entry from the right, whatever the client prepended', () => {
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 5 }), fc.array(ip, { minLength: 1, maxLength: 4 }), (spoofed, appended) => {
        // The client may send any X-Forwarded-For; each of our proxies appends the address it saw.
        const hops = appended.length;
        const result = clientBehindProxies(direct, headers([...spoofed.filter((s) => s.trim() !== ''), ...appended]), hops);
        expect(result.address).toBe(appended[0]);
      }),
    );
  });

  it('reads the protocol our outermost proxy reports, only when proxies are trusted', () => {
    const h = headers(['198.51.100.7'], ['https']);
    expect(clientBehindProxies(direct, h, 1)).toEqual({ address: '198.51.100.7', protocol: 'https' });
    expect(clientBehindProxies(direct, h, 0)).toEqual(direct);
    // A client's own claim to the left of what the proxy set is not believed.
    expect(clientBehindProxies(direct, headers(['198.51.100.7'], ['https', 'http']), 1).protocol).toBe('http');
    expect(clientBehindProxies(direct, headers(['198.51.100.7'], ['ftp']), 1).protocol).toBe('http');
  });

  it('yields an IP address always: the direct connection when the trusted entry is missing or not an address', () => {
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 4 }), fc.integer({ min: 1, max: 5 }), (entries, hops) => {
        const result = clientBehindProxies(direct, headers(entries), hops);
        expect(isIP(result.address)).not.toBe(0);
        expect(result.protocol).toBe('http');
      }),
    );
    for (const entry of ['unknown', 'evil.example', '1.2.3', '"><script>', '203.0.113.1.5']) {
      expect(clientBehindProxies(direct, headers([entry]), 1).address).toBe(direct.address);
    }
    expect(clientBehindProxies(direct, new Headers(), 1)).toEqual(direct);
  });

  it('strips a port and IPv6 brackets', () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 1, max: 65535 }), (address, port) => {
        expect(clientBehindProxies(direct, headers([`${address}:${port}`]), 1).address).toBe(address);
      }),
    );
    expect(clientBehindProxies(direct, headers(['[2001:db8::1]:443']), 1).address).toBe('2001:db8::1');
  });

  it('takes the direct protocol from the request itself', () => {
    const request = new Request('https://status.example.com/', { headers: { 'x-forwarded-proto': 'http' } });
    expect(requestClient({ request, clientAddress: '127.0.0.1' }, 0)).toEqual({ address: '127.0.0.1', protocol: 'https' });
  });
});

describe('TRUST_PROXY', () => {
  it('is a whole number of hops, 0 unless set', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(0);
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    for (const bad of ['-1', '1.5', 'yes', 'true', '11']) {
      expect(() => parseConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be the number of proxies in front of the server/);
    }
  });
});
