// Builds the notifier for a process from its configuration (server.mjs and `npm run worker` share this).
import type { Db } from '#db/client.ts';
import { deliverDueWebhooks } from '#src/adapters/refund-webhook.ts';
import { HEARTBEAT_MS, resumeInterruptedJob } from '#src/app/bulk-jobs.ts';
import { runSweep } from '#src/app/sweep.ts';
import { deleteIdleSessions } from '#src/auth/staff-sessions.ts';
import type { Config } from '#src/config/config.ts';
import type { DeliveryPlan } from './channels/delivery-plan.ts';
import { channelsFromConfig } from './channels/from-config.ts';
import { createNotifier, type Notifier, type NotifierOptions } from './worker.ts';

/** What a benchmark may change about a configured notifier (the chaos run's short lease and backoff). */
export type NotifierTuning = Pick<NotifierOptions, 'leaseMs' | 'retry'>;

export function notifierFromConfig(
  db: Db,
  cfg: Config,
  log: (m: string) => void = console.log,
  tuning: NotifierTuning = {},
): { notifier: Notifier; plan: DeliveryPlan } {
  const { email, sms, plan } = channelsFromConfig(db, cfg);
  let lastSweep = 0;
  let lastResume = 0;
  const notifier = createNotifier({
    db,
    email,
    sms,
    publicUrl: cfg.PUBLIC_URL,
    emailFrom: cfg.EMAIL_FROM ?? null,
    rates: { emailRequestsPerSecond: cfg.RESEND_REQUESTS_PER_SECOND, smsSegmentsPerSecond: cfg.TWILIO_SEGMENTS_PER_SECOND },
    ...tuning,
    log,
    // The FTC sweep runs in the same loop, once a minute; several workers may run it at once (it skips locked rows).
    // So does taking over a SKU move whose process stopped, at most one per beat of a job's heartbeat: it then runs
    // in this process, in the background.
    onTick: async (now) => {
      if (cfg.REFUND_WEBHOOK_SECRET) await deliverDueWebhooks(db, cfg.REFUND_WEBHOOK_SECRET, now);
      if (now.getTime() - lastResume >= HEARTBEAT_MS) {
        lastResume = now.getTime();
        // A failure here must not keep the sweep below from running.
        await resumeInterruptedJob(db, { log }).catch((error: Error) => log(`resuming jobs: ${error.message}`));
      }
      if (now.getTime() - lastSweep < 60_000) return;
      lastSweep = now.getTime();
      const report = await runSweep(db, now);
      await deleteIdleSessions(db, now);
      if (report.cancelled || report.noticesSent) log(`sweep: ${report.cancelled} cancelled, ${report.noticesSent} notices sent`);
    },
  });
  return { notifier, plan };
}
