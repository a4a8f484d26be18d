// The CSRF origin check: PUBLIC_URL's origin and the request's own (through trusted proxies) are ours; nothing else.
import { describe, expect, it } from 'vitest';
import { requestProtocol } from '#src/auth/client-address.ts';
import { allowedOrigins, isCrossSiteFormPost } from '#src/auth/origin-check.ts';

const FORM = 'application/x-www-form-urlencoded';

/** What the middleware does, for a request as the server receives it (behind a proxy: plain http). */
function refused(publicUrl: string, url: string, headers: Record<string, string>, hops: number, method = 'POST'): boolean {
  const request = new Request(url, { method, headers });
  const parsed = new URL(url);
  const allowed = allowedOrigins(publicUrl, parsed, requestProtocol(request, hops));
  return isCrossSiteFormPost(request, parsed, allowed);
}

describe('the origin check', () => {
  it('accepts a form posted from the https PUBLIC_URL to a server that sees plain http behind a TLS proxy', () => {
    const headers = { origin: 'https://status.example.com', 'content-type': FORM };
    expect(refused('https://status.example.com', 'http://status.example.com/', headers, 0)).toBe(false);
    expect(refused('https://status.example.com', 'http://status.example.com/', headers, 1)).toBe(false);
  });

  it('reads X-Forwarded-Proto for the request’s own origin only when a proxy is trusted', () => {
    const headers = { origin: 'https://portal.internal', 'content-type': FORM, 'x-forwarded-proto': 'https' };
    expect(refused('http://localhost:4321', 'http://portal.internal/', headers, 0)).toBe(true);
    expect(refused('http://localhost:4321', 'http://portal.internal/', headers, 1)).toBe(false);
  });

  it('refuses other sites, a null origin and a missing one, on every path but signed callbacks', () => {
    const publicUrl = 'https://status.example.com';
    const url = 'http://status.example.com/admin/login';
    expect(refused(publicUrl, url, { origin: 'https://evil.example', 'content-type': FORM }, 1)).toBe(true);
    expect(refused(publicUrl, url, { origin: 'http://status.example.com.evil.example', 'content-type': FORM }, 1)).toBe(true);
    expect(refused(publicUrl, url, { origin: 'null', 'content-type': FORM }, 1)).toBe(true);
    expect(refused(publicUrl, url, { 'content-type': FORM }, 1)).toBe(true);
    expect(refused(publicUrl, url, { origin: 'https://evil.example' }, 1)).toBe(true);
    expect(
      refused(publicUrl, 'http://status.example.com/webhooks/twilio/status', { origin: 'https://evil.example', 'content-type': FORM }, 0),
    ).toBe(false);
    expect(refused(publicUrl, url, { origin: 'https://evil.example' }, 0, 'GET')).toBe(false);
    // JSON cannot be sent cross-site without CORS, as in Astro's own check.
    expect(refused(publicUrl, url, { origin: 'https://evil.example', 'content-type': 'application/json' }, 0)).toBe(false);
  });
});
