// Verifies Twilio webhooks (X-Twilio-Signature over our public URL) and reads status callbacks as delivery reports.
import twilio from 'twilio';
import type { Principal } from '#src/commands/principal.ts';
import { isCleanText } from '#src/input/text.ts';
import type { DeliveryReport } from '#src/messages/record-delivery.ts';

/** Who a status callback with a valid signature comes from, as the commands it runs see it. */
export const TWILIO_STATUS_WEBHOOK: Principal = { kind: 'system', name: 'twilio-status-webhook' };

/** Twilio signs the exact public URL it called, never what our Host header says. */
export function verifyTwilio(authToken: string, signature: string | null, publicUrl: string, params: Record<string, string>): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, publicUrl, params);
}

export function readTwilioStatus(params: Record<string, string>): DeliveryReport | null {
  const sid = params.MessageSid ?? params.SmsSid;
  const status = params.MessageStatus ?? params.SmsStatus;
  if (!sid || !status) return null;
  const base = { provider: 'twilio' as const, receiptId: `${sid}:${status}`, providerMessageId: sid, suppress: null };
  switch (status) {
    case 'sent':
      return { ...base, status: 'sent', detail: 'sent (handed to the carrier)' };
    case 'delivered':
      return { ...base, status: 'delivered', detail: 'delivered' };
    case 'undelivered':
    case 'failed':
      return { ...base, status: 'failed', detail: `${status}${params.ErrorCode ? ` (error ${params.ErrorCode})` : ''}` };
    default:
      return { ...base, status: null, detail: status };
  }
}

/**
 * Reads a Twilio webhook request posted to `path`: its form parameters when the signature over our public URL holds,
 * or the Response to answer with (404 unconfigured, 400 not a form or a value no text may hold, 401 forged).
 */
export async function verifiedTwilioParams(
  request: Request,
  path: string,
  cfg: { TWILIO_AUTH_TOKEN?: string | undefined; PUBLIC_URL: string },
): Promise<Record<string, string> | Response> {
  if (!cfg.TWILIO_AUTH_TOKEN) return new Response('Twilio is not configured.', { status: 404 });
  const form = await request.formData().catch(() => null);
  if (!form) return new Response('Expected a form body', { status: 400 });
  const params = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const publicUrl = `${cfg.PUBLIC_URL.replace(/\/+$/, '')}${path}`;
  if (!verifyTwilio(cfg.TWILIO_AUTH_TOKEN, request.headers.get('x-twilio-signature'), publicUrl, params)) {
    return new Response('Invalid signature', { status: 401 });
  }
  // Signed is not the same as clean: a NUL or a lone surrogate would fail or change in the database. Only the
  // message text may hold line breaks.
  for (const [name, value] of Object.entries(params)) {
    if (!isCleanText(value, { multiline: name === 'Body' }))
      return new Response(`${name}: contains a character that is not allowed`, { status: 400 });
  }
  return params;
}
