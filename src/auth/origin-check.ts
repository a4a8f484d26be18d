// CSRF defence for cookie-authenticated forms: a state-changing request must come from our own origin.
// Signed provider callbacks and RFC 8058 one-click unsubscribes are cross-site by design and carry their own proof.

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Paths authenticated by a signature or a single-purpose token, never by cookies. */
const EXEMPT = [/^\/webhooks\//, /^\/unsubscribe$/, /^\/api\//];

/**
 * Our origins: PUBLIC_URL's (what browsers send behind a TLS-terminating proxy, where the request itself arrives as
 * http://…) and the request's own, with the protocol a trusted proxy reports (see client-address.ts).
 */
export function allowedOrigins(publicUrl: string, url: URL, protocol: 'http' | 'https'): string[] {
  return [new URL(publicUrl).origin, `${protocol}://${url.host}`];
}

export function isCrossSiteFormPost(request: Request, url: URL, allowed: readonly string[]): boolean {
  if (SAFE.has(request.method)) return false;
  if (EXEMPT.some((re) => re.test(url.pathname))) return false;
  const origin = request.headers.get('origin');
  const sameOrigin = origin !== null && allowed.includes(origin);
  const type = request.headers.get('content-type');
  if (type === null) return !sameOrigin;
  const formLike = FORM_TYPES.some((t) => type.toLowerCase().includes(t));
  // Same rule as Astro's checkOrigin: JSON and other non-form bodies cannot be sent cross-site without CORS.
  return formLike && !sameOrigin;
}
