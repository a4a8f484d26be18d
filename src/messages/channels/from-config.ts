// Builds the transports of the delivery plan (delivery-plan.ts): the real SDKs with credentials, the dev mailbox without.
import type { Db } from '#db/client.ts';
import type { Config } from '#src/config/config.ts';
import { type DeliveryPlan, deliveryPlan } from './delivery-plan.ts';
import { devMailboxEmail, devMailboxSms } from './dev-mailbox.ts';
import { createResendClient, createTwilioClient } from './provider-clients.ts';
import { resendEmail } from './resend-email.ts';
import { twilioSms } from './twilio-sms.ts';
import type { EmailChannel, SmsChannel } from './types.ts';

/** The channels, or a ConfigurationProblem when the plan cannot run (see deliveryPlan). `sms` null: SMS are suppressed. */
export function channelsFromConfig(db: Db, cfg: Config): { email: EmailChannel; sms: SmsChannel | null; plan: DeliveryPlan } {
  const decided = deliveryPlan(cfg);
  if (!decided.ok) throw new DeliveryPlanError(decided.problem);
  const { plan } = decided;
  const base = cfg.PUBLIC_URL.replace(/\/+$/, '');
  const email =
    plan.email === 'resend' && cfg.RESEND_API_KEY
      ? resendEmail(createResendClient({ apiKey: cfg.RESEND_API_KEY, ...(cfg.RESEND_BASE_URL ? { baseUrl: cfg.RESEND_BASE_URL } : {}) }))
      : devMailboxEmail(db);
  let sms: SmsChannel | null = null;
  if (plan.sms === 'twilio' && cfg.TWILIO_ACCOUNT_SID && cfg.TWILIO_AUTH_TOKEN) {
    sms = twilioSms(
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
    );
  } else if (plan.sms === 'dev-mailbox') {
    sms = devMailboxSms(db, cfg.TWILIO_FROM ?? 'dev-sender');
  }
  return { email, sms, plan };
}

export class DeliveryPlanError extends Error {
  override name = 'DeliveryPlanError';
}
