// Use case: an SMS a customer sent us. STOP and its synonyms opt the number out, START/UNSTOP opt back in, HELP answers.
import { and, eq } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { customers, suppressions, webhookReceipts } from '#db/schema/index.ts';
import { classifySmsKeyword } from '#src/domain/sms-keywords.ts';

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
