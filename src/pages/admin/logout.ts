// Staff sign-out: POST only; ends this session, empties the cookie and returns to the sign-in page.
import type { APIRoute } from 'astro';
import { LOGIN_PATH } from '#src/auth/require-staff.ts';
import { clearSessionCookie, readSessionCookie, validateSessionToken } from '#src/auth/staff-sessions.ts';
import { signOut } from '#src/staff/staff-accounts.ts';

export const POST: APIRoute = async ({ cookies, request, redirect, locals }) => {
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite !== null && fetchSite !== 'same-origin') {
    return new Response('Cross-site requests are refused.', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const db = locals.db;
  const validated = await validateSessionToken(db, readSessionCookie(cookies));
  if (validated) await signOut(db, validated.session.id);
  clearSessionCookie(cookies);
  const response = redirect(LOGIN_PATH, 303);
  response.headers.set('Cache-Control', 'no-store');
  return response;
};
