// Where each channel's messages go, decided once from the configuration: a provider, the dev mailbox, or nowhere.
//
// The dev mailbox stands in for a provider only outside production (NODE_ENV=production), so trying Porchlight needs no
// accounts. In production a missing e-mail provider stops the start (legally required notices go by e-mail), and a
// missing SMS provider makes every SMS `suppressed` with the reason "no SMS provider configured": visible, never
// recorded as sent into a mailbox nobody can open.
import type { Config } from '#src/config/config.ts';

export type EmailRoute = 'resend' | 'dev-mailbox';
export type SmsRoute = 'twilio' | 'dev-mailbox' | 'none';
export type DeliveryPlan = { email: EmailRoute; sms: SmsRoute };

export const NO_SMS_PROVIDER = 'no SMS provider configured';

type PlanConfig = Pick<Config, 'NODE_ENV' | 'RESEND_API_KEY' | 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN'>;

/** The plan for this configuration, or why it cannot run. */
export function deliveryPlan(cfg: PlanConfig): { ok: true; plan: DeliveryPlan } | { ok: false; problem: string } {
  const production = cfg.NODE_ENV === 'production';
  if (Boolean(cfg.TWILIO_ACCOUNT_SID) !== Boolean(cfg.TWILIO_AUTH_TOKEN)) {
    return { ok: false, problem: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together (SMS through Twilio needs both).' };
  }
  if (production && !cfg.RESEND_API_KEY) {
    return {
      ok: false,
      problem:
        'RESEND_API_KEY is not set, and NODE_ENV=production: customers would get no e-mail, and the law requires delay notices to reach them. Set RESEND_API_KEY (and EMAIL_FROM), or run without NODE_ENV=production to try Porchlight with the dev mailbox.',
    };
  }
  const email: EmailRoute = cfg.RESEND_API_KEY ? 'resend' : 'dev-mailbox';
  const sms: SmsRoute = cfg.TWILIO_ACCOUNT_SID ? 'twilio' : production ? 'none' : 'dev-mailbox';
  return { ok: true, plan: { email, sms } };
}

/** For an entry point (server, worker): the plan, or the problem printed and exit status 1. */
export function deliveryPlanOrExit(cfg: PlanConfig): DeliveryPlan {
  const decided = deliveryPlan(cfg);
  if (decided.ok) return decided.plan;
  console.error(decided.problem);
  process.exit(1);
}

/** Whether any channel's messages land in the dev mailbox (the only time its pages exist). */
export function usesDevMailbox(plan: DeliveryPlan): boolean {
  return plan.email === 'dev-mailbox' || plan.sms === 'dev-mailbox';
}

/** Plain sentences for the start log and the console banner: what does not reach customers, and where it goes. */
export function deliveryWarnings(plan: DeliveryPlan): string[] {
  const warnings: string[] = [];
  if (plan.email === 'dev-mailbox') warnings.push('E-mail is not configured: messages go to the dev mailbox, not to customers.');
  if (plan.sms === 'dev-mailbox') warnings.push('SMS is not configured: text messages go to the dev mailbox, not to customers.');
  if (plan.sms === 'none')
    warnings.push('SMS is not configured: text messages are not sent (each is marked suppressed, "no SMS provider configured").');
  return warnings;
}

/** One line for the start log: where messages go. */
export function describePlan(plan: DeliveryPlan): string {
  const email = plan.email === 'resend' ? 'e-mail through Resend' : 'e-mail to the dev mailbox';
  const sms = plan.sms === 'twilio' ? 'SMS through Twilio' : plan.sms === 'dev-mailbox' ? 'SMS to the dev mailbox' : 'no SMS (suppressed)';
  return `${email}, ${sms}`;
}
