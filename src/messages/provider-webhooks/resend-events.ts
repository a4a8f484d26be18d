// Verifies a Resend (Svix-signed) webhook and reads it as a delivery report.
import { Resend } from 'resend';
import type { Principal } from '#src/commands/principal.ts';
import { isCleanText } from '#src/input/text.ts';
import type { DeliveryReport } from '#src/messages/record-delivery.ts';

const verifier = new Resend('re_webhook_verification_only');

/** Who a report with a valid signature comes from, as the commands it runs see it. */
export const RESEND_WEBHOOK: Principal = { kind: 'system', name: 'resend-webhook' };

export type ResendWebhook = { ok: true; report: DeliveryReport | null } | { ok: false; reason: string; problem: 'signature' | 'content' };

/**
 * The SDK's verify checks the Svix signature (HMAC-SHA256 over id.timestamp.body) and refuses timestamps more than
 * five minutes off, so stale and forged deliveries fail here; replays are caught later by the svix-id receipt.
 */
export function readResendWebhook(rawBody: string, headers: Headers, secret: string): ResendWebhook {
  let event: { type: string; data?: { email_id?: string; bounce?: { message?: string }; failed?: { reason?: string } } };
  try {
    const svix = {
      id: headers.get('svix-id') ?? '',
      timestamp: headers.get('svix-timestamp') ?? '',
      signature: headers.get('svix-signature') ?? '',
    };
    event = verifier.webhooks.verify({ payload: rawBody, headers: svix, webhookSecret: secret }) as typeof event;
  } catch (error) {
    return { ok: false, reason: (error as Error).message, problem: 'signature' };
  }
  const id = headers.get('svix-id') as string;
  const emailId = event.data?.email_id;
  if (!emailId) return { ok: true, report: null };
  // Signed is not the same as clean: an id with a NUL would fail in the database; free text is only shown, so it is
  // cleaned rather than refused.
  if (typeof emailId !== 'string' || !isCleanText(emailId) || typeof event.type !== 'string' || !isCleanText(event.type))
    return { ok: false, reason: 'email_id or type holds a character that is not allowed', problem: 'content' };
  const base = { provider: 'resend' as const, receiptId: id, providerMessageId: emailId, detail: event.type, suppress: null };
  switch (event.type) {
    case 'email.sent':
      return { ok: true, report: { ...base, status: 'sent' } };
    case 'email.delivered':
      return { ok: true, report: { ...base, status: 'delivered' } };
    case 'email.delivery_delayed':
      return { ok: true, report: { ...base, status: null } };
    case 'email.bounced':
      return {
        ok: true,
        report: {
          ...base,
          status: 'failed',
          detail: `bounced: ${shown(event.data?.bounce?.message)}`.trim(),
          suppress: { channel: 'email', reason: 'bounced' },
        },
      };
    case 'email.complained':
      return {
        ok: true,
        report: { ...base, status: null, detail: 'complained (marked as spam)', suppress: { channel: 'email', reason: 'complained' } },
      };
    case 'email.failed':
      return { ok: true, report: { ...base, status: 'failed', detail: `failed: ${shown(event.data?.failed?.reason)}`.trim() } };
    case 'email.suppressed':
      return { ok: true, report: { ...base, status: 'suppressed', detail: 'suppressed by Resend' } };
    default:
      return { ok: true, report: null };
  }
}

/** A provider's free text as staff may see it: a string without control characters or lone surrogates, at most 500 characters. */
function shown(value: unknown): string {
  return typeof value === 'string'
    ? value
        .toWellFormed()
        .replace(/\p{Cc}/gu, ' ')
        .slice(0, 500)
    : '';
}
