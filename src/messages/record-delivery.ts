// The command `record-delivery`: what a provider reports back about a message (delivered, bounced, complained,
// failed), applied once and never moving a status backwards. Run by the system once the webhook's signature holds.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { notifications, suppressions, webhookReceipts } from '#db/schema/index.ts';
import { defineCommand } from '#src/commands/command.ts';
import { system } from '#src/commands/rules.ts';
import { DELIVERY_STATUSES, mayAdvance } from '#src/domain/delivery-status.ts';
import { text } from '#src/input/text.ts';

/**
 * A provider's report as the webhook parsers read it (provider-webhooks/). They already refuse or clean what the
 * database cannot hold, and the lengths allowed here are far beyond any real id, so no signed report is refused.
 */
const deliveryReport = z.object({
  provider: z.enum(['resend', 'twilio']),
  /** The provider's id of this report (svix-id; for Twilio, sid + status), so a redelivery changes nothing. */
  receiptId: text({ min: 1, max: 1000, trim: false }),
  providerMessageId: text({ min: 1, max: 1000, trim: false }),
  status: z.enum(DELIVERY_STATUSES).nullable(),
  detail: text({ max: 2000, trim: false }),
  /** Bounces and complaints stop further e-mail to that address. */
  suppress: z.object({ channel: z.enum(['email', 'sms']), reason: text({ min: 1, max: 200, trim: false }) }).nullable(),
});

export type DeliveryReport = z.infer<typeof deliveryReport>;

export type DeliveryResult = { ok: true; outcome: 'applied' | 'duplicate' | 'stale' | 'unknown_message' };

export async function recordDelivery(db: Db, report: DeliveryReport, now: Date = new Date()): Promise<DeliveryResult> {
  return db.transaction(async (tx) => {
    const fresh = await tx
      .insert(webhookReceipts)
      .values({ provider: report.provider, receiptId: report.receiptId, receivedAt: now })
      .onConflictDoNothing()
      .returning({ id: webhookReceipts.receiptId });
    if (fresh.length === 0) return { ok: true, outcome: 'duplicate' };
    const [row] = await tx
      .select({ id: notifications.id, status: notifications.status, recipient: notifications.recipient, channel: notifications.channel })
      .from(notifications)
      .where(and(eq(notifications.providerMessageId, report.providerMessageId)))
      .for('update');
    if (!row) return { ok: true, outcome: 'unknown_message' };
    if (report.suppress) {
      await tx
        .insert(suppressions)
        .values({ channel: report.suppress.channel, address: row.recipient, reason: report.suppress.reason })
        .onConflictDoNothing();
    }
    const step = { at: now.toISOString(), status: report.status ?? 'sent', detail: report.detail };
    if (report.status === null || !mayAdvance(row.status, report.status)) {
      // Still part of the record (435.2(d)), but it does not move the status backwards.
      await tx
        .update(notifications)
        .set({
          history: sql`${notifications.history} || ${JSON.stringify([{ ...step, status: row.status, detail: `${report.detail} (status kept)` }])}::jsonb`,
        })
        .where(eq(notifications.id, row.id));
      return { ok: true, outcome: report.status === null ? 'applied' : 'stale' };
    }
    await tx
      .update(notifications)
      .set({
        status: report.status,
        updatedAt: now,
        ...(report.status === 'failed' ? { lastError: report.detail } : {}),
        history: sql`${notifications.history} || ${JSON.stringify([step])}::jsonb`,
      })
      .where(eq(notifications.id, row.id));
    return { ok: true, outcome: 'applied' };
  });
}

/** Only the system: the webhook routes verify the provider's signature first, then run it as that provider. */
export const recordDeliveryReport = defineCommand({
  name: 'record-delivery',
  input: deliveryReport,
  allow: system,
  run: (db, report, { now }) => recordDelivery(db, report, now),
});
