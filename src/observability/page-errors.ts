// A page or endpoint that throws is answered with a plain 500 and logged by what describeError allows: never the
// values of the failed query (a customer's e-mail or phone), which Astro's own error log would print.
import type { MiddlewareHandler } from 'astro';
import { FALLBACK_CSP } from '#src/auth/security-headers.ts';
import { describeError } from './error-summary.ts';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Something went wrong</title></head><body><main><h1>Something went wrong</h1><p>The page could not be shown. Please try again in a moment.</p></main></body></html>`;

export const reportPageErrors: MiddlewareHandler = async (context, next) => {
  try {
    return await next();
  } catch (error) {
    console.error(`${context.request.method} ${context.routePattern || '(no route)'} failed: ${describeError(error)}`);
    return new Response(PAGE, {
      status: 500,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': FALLBACK_CSP },
    });
  }
};
