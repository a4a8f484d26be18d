import { describe, expect, it } from 'vitest';
import { deliveryPlan, deliveryWarnings, describePlan, usesDevMailbox } from '#src/messages/channels/delivery-plan.ts';

type Env = 'development' | 'production' | 'test';
const cfg = (nodeEnv: Env, resend: boolean, sid: boolean, token: boolean) => ({
  NODE_ENV: nodeEnv,
  RESEND_API_KEY: resend ? 're_live' : undefined,
  TWILIO_ACCOUNT_SID: sid ? 'AC0123' : undefined,
  TWILIO_AUTH_TOKEN: token ? 'secret' : undefined,
});

describe('where messages go: every combination of environment and provider settings', () => {
  const cases: Array<[Env, boolean, boolean, boolean]> = [];
  for (const env of ['development', 'test', 'production'] as const)
    for (const resend of [false, true])
      for (const sid of [false, true]) for (const token of [false, true]) cases.push([env, resend, sid, token]);

  it.each(cases)('NODE_ENV=%s, Resend key %s, Twilio SID %s, Twilio token %s', (env, resend, sid, token) => {
    const decided = deliveryPlan(cfg(env, resend, sid, token));
    if (sid !== token) {
      expect(decided).toEqual({
        ok: false,
        problem: expect.stringContaining('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together'),
      });
      return;
    }
    if (env === 'production' && !resend) {
      expect(decided).toEqual({ ok: false, problem: expect.stringContaining('RESEND_API_KEY is not set, and NODE_ENV=production') });
      return;
    }
    if (!decided.ok) throw new Error(decided.problem);
    expect(decided.plan.email).toBe(resend ? 'resend' : 'dev-mailbox');
    // Without Twilio: the dev mailbox outside production; in production nothing, each SMS suppressed with its reason.
    expect(decided.plan.sms).toBe(sid ? 'twilio' : env === 'production' ? 'none' : 'dev-mailbox');
    // The dev mailbox exists exactly while some channel goes there: never in production.
    expect(usesDevMailbox(decided.plan)).toBe(env !== 'production' && !(resend && sid));
  });

  it('says plainly what does not reach customers, for the start log and every console page', () => {
    expect(deliveryWarnings({ email: 'dev-mailbox', sms: 'dev-mailbox' })).toEqual([
      'E-mail is not configured: messages go to the dev mailbox, not to customers.',
      'SMS is not configured: text messages go to the dev mailbox, not to customers.',
    ]);
    expect(deliveryWarnings({ email: 'resend', sms: 'none' })).toEqual([
      'SMS is not configured: text messages are not sent (each is marked suppressed, "no SMS provider configured").',
    ]);
    expect(deliveryWarnings({ email: 'resend', sms: 'twilio' })).toEqual([]);
  });

  it('names each route in the start line, never claiming a provider that is not there', () => {
    expect(describePlan({ email: 'resend', sms: 'none' })).toBe('e-mail through Resend, no SMS (suppressed)');
    expect(describePlan({ email: 'resend', sms: 'dev-mailbox' })).toBe('e-mail through Resend, SMS to the dev mailbox');
    expect(describePlan({ email: 'dev-mailbox', sms: 'twilio' })).toBe('e-mail to the dev mailbox, SMS through Twilio');
  });
});
