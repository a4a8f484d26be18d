// Headers every response carries, static assets included (server.mjs sets them before the adapter runs).

/** A year, the usual HSTS lifetime; subdomains are left out since they may be other services of the shop. */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** nosniff always; HSTS only when the public address is https (over plain http browsers ignore it, and it would lie). */
export function transportHeaders(publicUrl: string): [string, string][] {
  const headers: [string, string][] = [['X-Content-Type-Options', 'nosniff']];
  if (new URL(publicUrl).protocol === 'https:') headers.push(['Strict-Transport-Security', `max-age=${HSTS_MAX_AGE_SECONDS}`]);
  return headers;
}

/**
 * The policy of an answer Astro did not render as a page (an endpoint's HTML, a plain 403 or 500, JSON): no script
 * at all, styles only inline (those pages style themselves), nothing framed or posted elsewhere.
 */
export const FALLBACK_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Whether an answer has no policy of its own (Astro sets one on every page it renders). */
export function lacksCsp(headers: Headers): boolean {
  return !headers.has('content-security-policy');
}
