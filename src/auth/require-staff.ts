// A staff session check (else a redirect to sign-in) that the middleware's staff gate runs once per console request, and the role a page needs (else 403).
import type { Db } from '#db/client.ts';
import {
  type CookieJar,
  readSessionCookie,
  type StaffRole,
  type StaffSession,
  type StaffUser,
  setSessionCookie,
  validateSessionToken,
} from './staff-sessions.ts';

export const LOGIN_PATH = '/admin/login';
export const CONSOLE_PATH = '/admin';

export type StaffContext = { request: Request; url: URL; cookies: CookieJar };

/**
 * A path to return to after sign-in, or the console home: only same-site relative paths inside /admin are allowed,
 * so `next` can never send anyone to another site (`//evil`, `/\evil`, `https://…`, control characters).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 512 || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return CONSOLE_PATH;
  if (/[\p{Cc}\\]/u.test(next)) return CONSOLE_PATH;
  let url: URL;
  try {
    url = new URL(next, 'http://porchlight.invalid');
  } catch {
    return CONSOLE_PATH;
  }
  if (url.origin !== 'http://porchlight.invalid') return CONSOLE_PATH;
  if (url.pathname !== CONSOLE_PATH && !url.pathname.startsWith(`${CONSOLE_PATH}/`)) return CONSOLE_PATH;
  if (url.pathname === LOGIN_PATH) return CONSOLE_PATH;
  return `${url.pathname}${url.search}`;
}

/** The sign-in address that brings the visitor back to where they were going. */
export function loginUrl(url: URL): string {
  const next = safeNextPath(`${url.pathname}${url.search}`);
  return next === CONSOLE_PATH ? LOGIN_PATH : `${LOGIN_PATH}?${new URLSearchParams({ next })}`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The signed-in staff member, or a Response to return at once: a 303 to sign-in without a valid session, a 403 when the browser says a state-changing request came from another site
 * (Lucia's `Sec-Fetch-Site` rule, on top of the middleware's origin check). A session refreshed by this visit gets a
 * cookie with the new expiry.
 */
export async function requireStaff(
  context: StaffContext,
  db: Db,
  now: Date = new Date(),
): Promise<{ user: StaffUser; session: StaffSession } | Response> {
  const { request, url, cookies } = context;
  const unsafe = !SAFE_METHODS.has(request.method);
  const fetchSite = request.headers.get('sec-fetch-site');
  if (unsafe && fetchSite !== null && fetchSite !== 'same-origin') return plainResponse(403, 'Cross-site requests are refused.');
  const validated = await validateSessionToken(db, readSessionCookie(cookies), now);
  if (!validated) return new Response(null, { status: 303, headers: { Location: loginUrl(url), 'Cache-Control': 'no-store' } });
  if (validated.session.refreshed) setSessionCookie(cookies, readSessionCookie(cookies) as string, validated.session.expiresAt);
  return validated;
}

/** Null when the user holds the role (owners may do everything), else a 403 page to return. */
export function requireRole(user: StaffUser, role: StaffRole): Response | null {
  if (user.role === role || user.role === 'owner') return null;
  return htmlResponse(
    403,
    'Not allowed',
    `<h1>Not allowed</h1><p>This page is for the store owner. Ask an owner if you need it.</p><p><a href="${CONSOLE_PATH}">Back to the console</a></p>`,
  );
}

function plainResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

function htmlResponse(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Porchlight console</title></head><body><main>${body}</main></body></html>`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}
