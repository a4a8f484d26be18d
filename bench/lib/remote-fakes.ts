// Starts bench/fakes-child.ts and wraps its IPC: the provider fakes, out of the measured process.
import { fileURLToPath } from 'node:url';
import type { ResendFakeOptions } from '#tests/fakes/resend-fake.ts';
import type { FakesCounts, FakesRequest, FakesStats } from '../fakes-child.ts';
import { ask, forkScript } from './processes.ts';

const SCRIPT = fileURLToPath(new URL('../fakes-child.ts', import.meta.url));

export type RemoteFakes = {
  resendUrl: string;
  twilio: { url: string; accountSid: string; authToken: string };
  /** Replaces the Resend fake (e.g. with a rate limit); its counts start again from zero. */
  restartResend(opts: ResendFakeOptions): Promise<void>;
  counts(): Promise<FakesCounts>;
  stats(): Promise<FakesStats>;
  close(): Promise<void>;
};

export async function startRemoteFakes(resend: ResendFakeOptions): Promise<RemoteFakes> {
  const child = forkScript('fakes', SCRIPT, process.env);
  const call = async <T>(m: FakesRequest): Promise<T> => {
    const answer = await ask<T | { error: string }>(child, m);
    if (answer && typeof answer === 'object' && 'error' in answer) throw new Error(`fakes: ${answer.error}`);
    return answer as T;
  };
  const started = await call<{ resendUrl: string; twilio: RemoteFakes['twilio'] }>({ cmd: 'start', resend });
  const fakes: RemoteFakes = {
    resendUrl: started.resendUrl,
    twilio: started.twilio,
    async restartResend(opts) {
      fakes.resendUrl = (await call<{ resendUrl: string }>({ cmd: 'restartResend', resend: opts })).resendUrl;
    },
    counts: () => call<FakesCounts>({ cmd: 'counts' }),
    stats: () => call<FakesStats>({ cmd: 'stats' }),
    async close() {
      await call({ cmd: 'close' }).catch(() => {});
      await child.stop();
    },
  };
  return fakes;
}
