// Security headers on every response: no referrers leave the site (pages may carry tokens), no framing, no MIME sniffing.
import { defineMiddleware } from 'astro:middleware';

export const onRequest = defineMiddleware(async (_context, next) => {
  const response = await next();
  // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts, which the origin check rejects.
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('X-Frame-Options', 'DENY');
  return response;
});
