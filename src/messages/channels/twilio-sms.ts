// SMS through the Twilio SDK: a sender number or Messaging Service, a status callback, a validity period.
import type twilio from 'twilio';
import type { OutgoingSms, SendOutcome, SmsChannel } from './types.ts';

/** Twilio error codes that no retry can fix. 21610: the recipient replied STOP. */
const OPTED_OUT = new Set([21610]);

export function classifyTwilioError(error: unknown): SendOutcome {
  // Twilio answered: a RestException carries its HTTP status. Transport errors (TwilioTransportError) carry none.
  const e = error as { status?: number; code?: number | string; message?: string };
  if (typeof e.status === 'number') {
    const reason = `${e.status} ${e.code ?? ''}: ${e.message ?? ''}`.trim();
    if (e.status === 429) return { kind: 'retry', reason, retryAfterMs: null, outcomeUnknown: false };
    if (e.status >= 500) return { kind: 'retry', reason, retryAfterMs: null, outcomeUnknown: true };
    return { kind: 'failed', reason, suppress: OPTED_OUT.has(Number(e.code)) };
  }
  // Timeouts and resets: Twilio may have queued it; reconcile before any retry.
  return {
    kind: 'retry',
    reason: `network: ${e.code ?? ''} ${e.message ?? String(error)}`.trim(),
    retryAfterMs: null,
    outcomeUnknown: true,
  };
}

/** Twilio Messaging Service SIDs start with MG; anything else is a sender number. */
function isMessagingService(sender: string): boolean {
  return sender.startsWith('MG');
}

export type TwilioSmsOptions = {
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  statusCallback: string | null;
  /** Seconds Twilio may queue it before giving up; our own pacing keeps the queue short. */
  validityPeriod?: number;
};

export function twilioSms(client: twilio.Twilio, options: TwilioSmsOptions): SmsChannel {
  const sender = options.messagingServiceSid ?? options.from;
  if (!sender) throw new Error('Twilio needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  return {
    name: 'twilio',
    sender,
    async send(sms: OutgoingSms): Promise<SendOutcome> {
      try {
        const message = await client.messages.create({
          to: sms.to,
          body: sms.body,
          ...(isMessagingService(sms.from) ? { messagingServiceSid: sms.from } : { from: sms.from }),
          ...(options.statusCallback ? { statusCallback: options.statusCallback } : {}),
          validityPeriod: options.validityPeriod ?? 3600,
        });
        return { kind: 'sent', providerId: message.sid };
      } catch (error) {
        return classifyTwilioError(error);
      }
    },
    async findSent(sms: OutgoingSms, since: Date): Promise<string | null> {
      const messages = await client.messages.list({
        to: sms.to,
        // A Messaging Service picks the number itself, so only a message sent from a number can be matched by it.
        ...(isMessagingService(sms.from) ? {} : { from: sms.from }),
        dateSentAfter: new Date(since.getTime() - 60_000),
        limit: 50,
      });
      return messages.find((m) => m.body === sms.body)?.sid ?? null;
    },
  };
}
