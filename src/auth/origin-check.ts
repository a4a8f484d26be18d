// CSRF defence for cookie-authenticated forms: a state-changing request must come from our own origin.
// Signed provider callbacks and RFC 8058 one-click unsubscribes are cross-site by design and carry their own proof.

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Paths authenticated by a signature or a single-purpose token, never by cookies. */
const EXEMPT = [/^\/webhooks\//, /^\/unsubscribe$/, /^\/api\//];

export function isCrossSiteFormPost(request: Request, url: URL): boolean {
  if (SAFE.has(request.method)) return false;
  if (EXEMPT.some((re) => re.test(url.pathname))) return false;
  const sameOrigin = request.headers.get('origin') === url.origin;
  const type = request.headers.get('content-type');
  if (type === null) return !sameOrigin;
  const formLike = FORM_TYPES.some((t) => type.toLowerCase().includes(t));
  // Same rule as Astro's checkOrigin: JSON and other non-form bodies cannot be sent cross-site without CORS.
  return formLike && !sameOrigin;
}
