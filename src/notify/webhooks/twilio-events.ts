// Verifies Twilio webhooks (X-Twilio-Signature over our public URL) and reads status callbacks as delivery reports.
import twilio from 'twilio';
import type { DeliveryReport } from '#src/app/record-delivery.ts';

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
