// Headers every response carries, static assets included (server.mjs sets them before the adapter runs).

/** A year, the usual HSTS lifetime; subdomains are left out since they may be other services of the shop. */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** nosniff always; HSTS only when the public address is https (over plain http browsers ignore it, and it would lie). */
export function transportHeaders(publicUrl: string): [string, string][] {
  const headers: [string, string][] = [['X-Content-Type-Options', 'nosniff']];
  if (new URL(publicUrl).protocol === 'https:') headers.push(['Strict-Transport-Security', `max-age=${HSTS_MAX_AGE_SECONDS}`]);
  return headers;
}
