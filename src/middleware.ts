// Every request: refuse cross-site form posts (except signed provider callbacks), then add security headers; hand pages
// the database, and let console pages through only with a staff session (checked here once, not by each page).
import { defineMiddleware, sequence } from 'astro:middleware';
import { runtimeDb } from '#db/runtime.ts';
import { requestProtocol } from '#src/auth/client-address.ts';
import { allowedOrigins, isCrossSiteFormPost } from '#src/auth/origin-check.ts';
import { FALLBACK_CSP, lacksCsp, transportHeaders } from '#src/auth/security-headers.ts';
import { passGate } from '#src/auth/staff-gate.ts';
import { config } from '#src/config/config.ts';
import { reportPageErrors } from '#src/observability/page-errors.ts';
import { logRequest } from '#src/observability/request-log.ts';

const guard = defineMiddleware(async (context, next) => {
  const cfg = config();
  const allowed = allowedOrigins(cfg.PUBLIC_URL, context.url, requestProtocol(context.request, cfg.TRUST_PROXY));
  if (isCrossSiteFormPost(context.request, context.url, allowed)) {
    return new Response('Cross-site form submissions are refused.', { status: 403, headers: { 'Content-Type': 'text/plain' } });
  }
  const response = await next();
  // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts, which the origin check rejects.
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('X-Frame-Options', 'DENY');
  // server.mjs sets these on every response already; here too for `astro dev`.
  for (const [name, value] of transportHeaders(cfg.PUBLIC_URL)) response.headers.set(name, value);
  if (lacksCsp(response.headers)) response.headers.set('Content-Security-Policy', FALLBACK_CSP);
  return response;
});

/**
 * Routes that must answer without opening the database here: liveness touches nothing, readiness reports an
 * unopenable one, and the order page reads through its own source (src/orders/order-page-source.ts: the cache, or the
 * benchmark's in-memory pages, which run with no database at all).
 */
const NO_DATABASE = new Set(['/healthz', '/readyz', '/orders/[number]']);

const database = defineMiddleware(async (context, next) => {
  if (!NO_DATABASE.has(context.routePattern)) context.locals.db = await runtimeDb();
  return next();
});

// After the guard, so that a refusal or a redirect to sign-in carries the security headers like any page.
const staffGate = defineMiddleware(async (context, next) => {
  const passed = await passGate(context.routePattern, context, context.locals.db);
  if (passed instanceof Response) return passed;
  if (passed) context.locals.staff = passed;
  return next();
});

// The request log runs first, so its line carries the status and time of everything the guard and the page did; a
// page that throws is answered (and logged without its query's values) before Astro would log it whole.
export const onRequest = sequence(logRequest, reportPageErrors, guard, database, staffGate);
