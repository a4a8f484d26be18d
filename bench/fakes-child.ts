// The Resend and Twilio fakes in a process of their own, for benchmarks that measure the worker: a real provider's
// CPU is not the worker's, and the fakes would otherwise share its one thread. Driven over IPC by bench/lib/remote-fakes.ts.
import { type ResendFake, type ResendFakeOptions, startResendFake } from '#tests/fakes/resend-fake.ts';
import { startTwilioFake, type TwilioFake } from '#tests/fakes/twilio-fake.ts';

export type FakesRequest =
  | { cmd: 'start'; resend: ResendFakeOptions }
  | { cmd: 'restartResend'; resend: ResendFakeOptions }
  | { cmd: 'counts' }
  | { cmd: 'stats' }
  | { cmd: 'close' };

export type FakesCounts = { resendRequests: number; emails: number; lastEmailAt: number | null; sms: number };
export type FakesStats = {
  resendRequests: number;
  /** Each accepted e-mail: its idempotency key (or id) and when the fake accepted it (ms). */
  emails: { key: string; at: number }[];
  sms: { at: number; segments: number }[];
};

let resend: ResendFake | null = null;
let twilio: TwilioFake | null = null;

function counts(): FakesCounts {
  const emails = resend?.emails ?? [];
  return {
    resendRequests: resend?.requests ?? 0,
    emails: emails.length,
    lastEmailAt: emails.at(-1)?.createdAt.getTime() ?? null,
    sms: twilio?.messages.length ?? 0,
  };
}

process.on('message', async (m: FakesRequest) => {
  try {
    if (m.cmd === 'start') {
      resend = await startResendFake(m.resend);
      twilio = await startTwilioFake();
      process.send?.({ resendUrl: resend.url, twilio: { url: twilio.url, accountSid: twilio.accountSid, authToken: twilio.authToken } });
    } else if (m.cmd === 'restartResend') {
      await resend?.close();
      resend = await startResendFake(m.resend);
      process.send?.({ resendUrl: resend.url });
    } else if (m.cmd === 'counts') {
      process.send?.(counts());
    } else if (m.cmd === 'stats') {
      const stats: FakesStats = {
        resendRequests: resend?.requests ?? 0,
        emails: (resend?.emails ?? []).map((e) => ({ key: e.idempotencyKey ?? e.id, at: e.createdAt.getTime() })),
        sms: (twilio?.messages ?? []).map((s) => ({ at: s.dateCreated.getTime(), segments: s.numSegments })),
      };
      process.send?.(stats);
    } else if (m.cmd === 'close') {
      await resend?.close();
      await twilio?.close();
      process.send?.({ closed: true });
      process.exit(0);
    }
  } catch (error) {
    process.send?.({ error: (error as Error).message });
  }
});
process.on('SIGTERM', () => process.exit(0));
