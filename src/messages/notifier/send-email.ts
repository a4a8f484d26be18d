// Sends one e-mail batch under its key, paced, while the pass still holds every row of it, and records the answer.
import type { RenderedContent } from '#db/schema/index.ts';
import type { StoreSettings } from '#src/store/store-settings.ts';
import type { OutgoingEmail, SendOutcome } from '../channels/types.ts';
import type { Claimed } from './claimed.ts';
import type { NotifierContext } from './context.ts';
import type { Lease } from './leases.ts';
import { takeSlot } from './pacing.ts';
import { recordOutcome, recordSent } from './record-outcome.ts';

/**
 * The sender staff saved in the settings wins over the server's EMAIL_FROM: it is what the settings page says
 * messages go out as. Without either, the store's name and support address.
 */
export async function sendEmailGroup(ctx: NotifierContext, group: Claimed[], store: StoreSettings, lease: Lease) {
  const { clock, log } = ctx;
  const from = store.emailFrom ?? ctx.emailFrom ?? `${store.name} <${store.supportEmail}>`;
  const batch: OutgoingEmail[] = group.map((r) => {
    // An e-mail row is always rendered with both bodies (compose.ts); only SMS rows go without.
    const c = r.rendered as Required<RenderedContent>;
    return { notificationId: r.id, to: r.recipient, from, subject: c.subject, html: c.html, text: c.text, headers: c.headers };
  });
  // Everything asynchronous happens before the slot: a call that starts late squeezes the gap to the next one.
  await takeSlot(ctx, 'resend', ctx.rates.emailRequestsPerSecond, 1);
  // The batch goes as one (its key names every member), so one lost lease holds it all back.
  const lost = group.find((r) => !lease.holds(r.id, clock()));
  if (lost) return log(`notifier: lease on notification ${lost.id} may be lost; its batch is left to whoever holds it`);
  let outcomes: SendOutcome[];
  try {
    outcomes = await ctx.email.send(batch, group[0]?.batch_key as string);
  } catch (error) {
    outcomes = group.map(() => ({
      kind: 'retry',
      reason: `transport error: ${(error as Error).message}`,
      retryAfterMs: null,
      outcomeUnknown: true,
    }));
  }
  const now = clock();
  const sent = group.flatMap((row, i) =>
    outcomes[i]?.kind === 'sent' ? [{ row, providerId: (outcomes[i] as { providerId: string | null }).providerId }] : [],
  );
  await recordSent(ctx, sent, now);
  const rest = group.filter((_, i) => outcomes[i]?.kind !== 'sent');
  // A batch answers as one: every e-mail that was not sent shares the same outcome.
  if (rest.length) await recordOutcome(ctx, rest, outcomes[group.indexOf(rest[0] as Claimed)] as SendOutcome, now);
}
