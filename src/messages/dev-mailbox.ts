// Reads the dev mailbox: what the notifier would have sent, for /dev/mailbox when no provider is configured.
// (The channel that writes it is channels/dev-mailbox.ts.)
import { desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { devMailbox } from '#db/schema/index.ts';

export type DevMessage = typeof devMailbox.$inferSelect;

export async function listDevMessages(db: Queryable, opts: { limit: number; offset: number; channel?: 'email' | 'sms' | undefined }) {
  const where = opts.channel ? eq(devMailbox.channel, opts.channel) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(devMailbox).where(where).orderBy(desc(devMailbox.id)).limit(opts.limit).offset(opts.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(devMailbox).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function getDevMessage(db: Queryable, id: number): Promise<DevMessage | null> {
  const [row] = await db.select().from(devMailbox).where(eq(devMailbox.id, id));
  return row ?? null;
}
