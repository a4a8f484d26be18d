// Picks the transports the configuration asks for: the real SDKs with credentials, the dev mailbox without.
import type { Db } from '#db/client.ts';
import type { Config } from '#src/config/config.ts';
import { createResendClient, createTwilioClient } from '../provider-clients.ts';
import { devMailboxEmail, devMailboxSms } from './dev-mailbox.ts';
import { resendEmail } from './resend-email.ts';
import { twilioSms } from './twilio-sms.ts';
import type { EmailChannel, SmsChannel } from './types.ts';

export function channelsFromConfig(db: Db, cfg: Config): { email: EmailChannel; sms: SmsChannel; kind: 'providers' | 'dev-mailbox' } {
  const base = cfg.PUBLIC_URL.replace(/\/+$/, '');
  const email = cfg.RESEND_API_KEY
    ? resendEmail(createResendClient({ apiKey: cfg.RESEND_API_KEY, ...(cfg.RESEND_BASE_URL ? { baseUrl: cfg.RESEND_BASE_URL } : {}) }))
    : devMailboxEmail(db);
  const sms =
    cfg.TWILIO_ACCOUNT_SID && cfg.TWILIO_AUTH_TOKEN
      ? twilioSms(
          createTwilioClient({
            accountSid: cfg.TWILIO_ACCOUNT_SID,
            authToken: cfg.TWILIO_AUTH_TOKEN,
            timeoutMs: 15_000,
            ...(cfg.TWILIO_BASE_URL ? { baseUrl: cfg.TWILIO_BASE_URL } : {}),
          }),
          {
            from: cfg.TWILIO_FROM,
            messagingServiceSid: cfg.TWILIO_MESSAGING_SERVICE_SID,
            statusCallback: `${base}/webhooks/twilio/status`,
          },
        )
      : devMailboxSms(db, cfg.TWILIO_FROM ?? 'dev-sender');
  return { email, sms, kind: cfg.RESEND_API_KEY ? 'providers' : 'dev-mailbox' };
}
