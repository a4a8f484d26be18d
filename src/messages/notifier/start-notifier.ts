// Builds the notifier for a process from its configuration (server.mjs and `npm run worker` share this).
import type { Db } from '#db/client.ts';
import { deleteIdleSessions } from '#src/auth/staff-sessions.ts';
import { runSweep } from '#src/compliance/sweep.ts';
import type { Config } from '#src/config/config.ts';
import { HEARTBEAT_MS, resumeInterruptedJob } from '#src/eta/bulk-jobs.ts';
import { describeError } from '#src/observability/error-summary.ts';
import { type LogFormat, writeLog } from '#src/observability/log.ts';
import { deliverDueWebhooks } from '#src/refunds/refund-requested-hook.ts';
import type { DeliveryPlan } from '../channels/delivery-plan.ts';
import { channelsFromConfig } from '../channels/from-config.ts';
import { createNotifier, type Notifier, type NotifierOptions, type PassReport } from './worker.ts';

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
    onPass: passLogger(cfg.LOG_FORMAT, log),
    // The FTC sweep runs in the same loop, once a minute; several workers may run it at once (it skips locked rows).
    // So does taking over a SKU move whose process stopped, at most one per beat of a job's heartbeat: it then runs
    // in this process, in the background.
    onTick: async (now) => {
      if (cfg.REFUND_WEBHOOK_SECRET) await deliverDueWebhooks(db, cfg.REFUND_WEBHOOK_SECRET, now);
      if (now.getTime() - lastResume >= HEARTBEAT_MS) {
        lastResume = now.getTime();
        // A failure here must not keep the sweep below from running.
        await resumeInterruptedJob(db, { log }).catch((error: unknown) => log(`resuming jobs: ${describeError(error)}`));
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

/**
 * One line per pass that had messages to handle, in either format; idle passes (five a second per lane) stay out of
 * the log, and readiness (`/readyz`) tells whether the loop is alive. Counts and timing only: no recipient, no text.
 */
export function passLogger(format: LogFormat, log: (m: string) => void): (report: PassReport) => void {
  return (report) => {
    if (report.claimed === 0) return;
    if (format === 'json') {
      // The outcomes by the rows' status ('sending': waiting for a retry or the end of quiet hours).
      writeLog('json', 'info', 'notifier pass', {
        ...report.outcomes,
        lane: report.lane,
        claimed: report.claimed,
        reclaimed: report.reclaimed,
        duration_ms: Math.round(report.durationMs),
      });
      return;
    }
    log(passText(report));
  };
}

/** `notifier pass: 200 messages in 1.3 s (198 sent, 2 failed)` */
export function passText(report: PassReport): string {
  const outcomes = Object.entries(report.outcomes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${n} ${status === 'sending' ? 'waiting' : status}`);
  const seconds = (report.durationMs / 1000).toFixed(1);
  const reclaimed = report.reclaimed ? `, ${report.reclaimed} taken over from a stopped send` : '';
  return `notifier pass: ${report.claimed} message${report.claimed === 1 ? '' : 's'} in ${seconds} s (${outcomes.join(', ')}${reclaimed})`;
}
