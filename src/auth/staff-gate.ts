// The console's one staff check: the middleware runs it once per request for every route that needs a signed-in staff
// member, and pages read the result from `locals` instead of checking the session themselves.
import type { Db } from '#db/client.ts';
import { config } from '#src/config/config.ts';
import { deliveryPlan, usesDevMailbox } from '#src/messages/channels/delivery-plan.ts';
import { requireStaff, type StaffContext } from './require-staff.ts';
import type { StaffSession, StaffUser } from './staff-sessions.ts';

export type SignedInStaff = { user: StaffUser; session: StaffSession };

/** /admin pages anyone may open: they sign in, set up the first owner, or end a session. */
const OPEN_ADMIN_ROUTES = new Set(['/admin/login', '/admin/setup', '/admin/logout']);

/**
 * Which gate a route sits behind, by its route pattern (not its address, so an unknown /admin/… address stays a 404):
 * `staff` for the console, `dev_mailbox` for the dev mailbox (staff, and only while a channel's messages go there).
 */
export function gateOf(routePattern: string): 'staff' | 'dev_mailbox' | null {
  if (routePattern === '/dev/mailbox' || routePattern.startsWith('/dev/mailbox/')) return 'dev_mailbox';
  if (routePattern !== '/admin' && !routePattern.startsWith('/admin/')) return null;
  return OPEN_ADMIN_ROUTES.has(routePattern) ? null : 'staff';
}

/** Whether a channel's messages go to the dev mailbox; when none does its pages are not found, whoever asks. */
export function devMailboxInUse(): boolean {
  const decided = deliveryPlan(config());
  return decided.ok && usesDevMailbox(decided.plan);
}

/**
 * The staff member signed in for this request, or a Response to answer at once (requireStaff's 303 to sign-in or 403);
 * null when the route needs no gate, or is the dev mailbox while nothing goes there (its page then answers 404).
 */
export async function passGate(routePattern: string, context: StaffContext, db: Db): Promise<SignedInStaff | Response | null> {
  const gate = gateOf(routePattern);
  if (gate === null || (gate === 'dev_mailbox' && !devMailboxInUse())) return null;
  return requireStaff(context, db);
}

/** The staff member the middleware let through; a gated page that finds none was reached without the middleware. */
export function signedInStaff(locals: { staff?: SignedInStaff }): SignedInStaff {
  if (!locals.staff) throw new Error('No staff member on this request: the staff gate in src/middleware.ts did not run.');
  return locals.staff;
}
