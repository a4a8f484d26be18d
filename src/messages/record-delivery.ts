// Use cases for what providers report back: delivery, bounce, complaint, failure; and SMS opt-out keywords.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { customers, notifications, suppressions, webhookReceipts } from '#db/schema/index.ts';
import { type DeliveryStatus, mayAdvance } from '#src/domain/delivery-status.ts';
import { classifySmsKeyword } from '#src/domain/sms-keywords.ts';

export type DeliveryReport = {
  provider: 'resend' | 'twilio';
  /** The provider's id of this report (svix-id; for Twilio, sid + status), so a redelivery changes nothing. */
  receiptId: string;
  providerMessageId: string;
  status: DeliveryStatus | null;
  detail: string;
  /** Bounces and complaints stop further e-mail to that address. */
  suppress: { channel: 'email' | 'sms'; reason: string } | null;
};

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

export type InboundSmsResult = { reply: string | null; action: 'opted_out' | 'opted_in' | 'help' | 'none' };

/** STOP and its synonyms opt the number out of all SMS at once; START/UNSTOP restore it; HELP answers with contacts. */
export async function handleInboundSms(
  db: Db,
  input: { receiptId: string; from: string; body: string; store: { name: string; supportEmail: string; supportPhone: string | null } },
  now: Date = new Date(),
): Promise<InboundSmsResult> {
  const keyword = classifySmsKeyword(input.body);
  return db.transaction(async (tx) => {
    const fresh = await tx
      .insert(webhookReceipts)
      .values({ provider: 'twilio-inbound', receiptId: input.receiptId, receivedAt: now })
      .onConflictDoNothing()
      .returning();
    if (fresh.length === 0) return { reply: null, action: 'none' };
    if (keyword === 'opt_out') {
      await tx.update(customers).set({ smsOptedOutAt: now }).where(eq(customers.phone, input.from));
      await tx
        .insert(suppressions)
        .values({ channel: 'sms', address: input.from, reason: `replied "${input.body.trim().slice(0, 20)}"` })
        .onConflictDoNothing();
      // Carriers (and Twilio's Advanced Opt-Out) send the confirmation themselves.
      return { reply: null, action: 'opted_out' };
    }
    if (keyword === 'opt_in') {
      await tx.update(customers).set({ smsOptedOutAt: null }).where(eq(customers.phone, input.from));
      await tx.delete(suppressions).where(and(eq(suppressions.channel, 'sms'), eq(suppressions.address, input.from)));
      return { reply: null, action: 'opted_in' };
    }
    if (keyword === 'help') {
      const phone = input.store.supportPhone ? ` or call ${input.store.supportPhone}` : '';
      return {
        reply: `${input.store.name} order updates. Help: ${input.store.supportEmail}${phone}. Reply STOP to opt out.`,
        action: 'help',
      };
    }
    return { reply: null, action: 'none' };
  });
}
