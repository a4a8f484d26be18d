// The gate of the dev mailbox pages: they exist only while a channel's messages go there, and only for signed-in staff.
import type { Db } from '#db/client.ts';
import { config } from '#src/config/config.ts';
import { deliveryPlan, usesDevMailbox } from '#src/notify/channels/delivery-plan.ts';
import { requireStaff, type StaffContext } from './require-staff.ts';
import type { StaffSession, StaffUser } from './staff-sessions.ts';

/**
 * The signed-in staff member; null when no channel uses the dev mailbox (the page is then not found, whoever asks: no
 * setting makes it public); else the Response requireStaff answers (a 303 to sign-in for anyone else).
 */
export async function requireDevMailbox(
  context: StaffContext,
  db: Db,
): Promise<{ user: StaffUser; session: StaffSession } | Response | null> {
  const decided = deliveryPlan(config());
  if (!decided.ok || !usesDevMailbox(decided.plan)) return null;
  return requireStaff(context, db);
}
