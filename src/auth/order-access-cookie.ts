// The order access cookie, set the same way by every page: one rule for how long a browser keeps an order open.
//
// The rule: an order stays open in a browser for ORDER_ACCESS_MINUTES from the moment it was opened (by a lookup or
// by a message link), and never past the expiry of the token the cookie holds. A message link's token lives longer
// (its purpose is to be clicked days later); clicking it again opens the order again for the same span.
import { ORDER_ACCESS_COOKIE } from './order-access.ts';
import type { CookieJar } from './staff-sessions.ts';

/** When a cookie set at `now` for a token expiring at `tokenExpiresAt` must end. */
export function orderAccessCookieExpiry(tokenExpiresAt: Date, now: Date, accessMinutes: number): Date {
  return new Date(Math.min(tokenExpiresAt.getTime(), now.getTime() + accessMinutes * 60_000));
}

/** Stores `token` as the order access cookie: `__Host-`, HttpOnly, Secure, SameSite=Lax, ending by the rule above. */
export function setOrderAccessCookie(
  cookies: CookieJar,
  token: string,
  args: { tokenExpiresAt: Date; now: Date; accessMinutes: number },
): void {
  cookies.set(ORDER_ACCESS_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    path: '/',
    expires: orderAccessCookieExpiry(args.tokenExpiresAt, args.now, args.accessMinutes),
  });
}
