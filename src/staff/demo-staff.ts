// Demo staff logins for the demo store: an owner and an agent with fixed, published passwords (demo data only).
import { inArray } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { staffUsers } from '#db/schema/index.ts';
import { createStaff, type NewStaff } from './staff-accounts.ts';

export const DEMO_STAFF = [
  { email: 'owner@northwind.example', name: 'Rosa Lindqvist', role: 'owner', password: 'porchlight-demo-owner' },
  { email: 'agent@northwind.example', name: 'Sam Okafor', role: 'agent', password: 'porchlight-demo-agent' },
] as const satisfies readonly NewStaff[];

/** Creates the demo owner and agent when missing (idempotent); returns the logins to print. */
export async function seedDemoStaff(db: Db): Promise<{ email: string; password: string; role: string }[]> {
  const existing = await db
    .select({ email: staffUsers.email })
    .from(staffUsers)
    .where(
      inArray(
        staffUsers.email,
        DEMO_STAFF.map((s) => s.email),
      ),
    );
  const have = new Set(existing.map((e) => e.email));
  for (const staff of DEMO_STAFF) {
    if (have.has(staff.email)) continue;
    const r = await createStaff(db, staff);
    if (!r.ok && r.reason !== 'email_taken') throw new Error(`demo staff ${staff.email}: ${r.reason}`);
  }
  return DEMO_STAFF.map(({ email, password, role }) => ({ email, password, role }));
}
