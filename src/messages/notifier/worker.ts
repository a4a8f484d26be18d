// The outbox worker: claims due notifications, renders and persists them, sends them paced, records each outcome.
// This file wires the parts (claim.ts, leases.ts, prepare.ts, send-email.ts, send-sms.ts, record-outcome.ts, pass.ts,
// lanes.ts) around one context holding the options with their defaults.
import type { Db } from '#db/client.ts';
import type { EmailChannel, SmsChannel } from '../channels/types.ts';
import type { NotifierContext } from './context.ts';
import { createLanes, type NotifierHealth } from './lanes.ts';
import { createPass, type PassReport } from './pass.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.ts';
import { createSentSmsBatch } from './sent-sms-batch.ts';

export type { NotifierHealth } from './lanes.ts';
export type { PassReport } from './pass.ts';

export type NotifierOptions = {
  db: Db;
  email: EmailChannel;
  sms: SmsChannel | null;
  publicUrl: string;
  emailFrom: string | null;
  /** Provider limits, shared by all workers through the database; 0 = unlimited. */
  rates: { emailRequestsPerSecond: number; smsSegmentsPerSecond: number };
  batchSize?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Calls to providers in flight at once, per lane. */
  concurrency?: number;
  /**
   * Claim-and-send passes running at once. Two let one batch be claimed and rendered while the last one is still at
   * the providers (on PostgreSQL that work happens in the server, not on this thread); SKIP LOCKED keeps them apart.
   */
  lanes?: number;
  retry?: RetryPolicy;
  clock?: () => Date;
  log?: (message: string) => void;
  /** Runs once a tick (the FTC sweep joins here). */
  onTick?: (now: Date) => Promise<void>;
  /** Told after every pass (idle ones too) what it did: the log's one line per pass. */
  onPass?: (report: PassReport) => void;
  /**
   * How long a lane may go without finishing a pass or a send before `health()` calls it stalled. Default twice the
   * lease: a busy pass (200 paced SMS) takes minutes, but finishes a send every few seconds.
   */
  stallMs?: number;
};

export type Notifier = {
  /** One pass: claim, send, record. Returns how many rows it handled. */
  tick(): Promise<number>;
  start(): void;
  /** Stops claiming and waits for the sends in flight to be recorded. */
  stop(): Promise<void>;
  health(): NotifierHealth;
};

export function createNotifier(options: NotifierOptions): Notifier {
  const leaseMs = options.leaseMs ?? 60_000;
  const ctx: NotifierContext = {
    db: options.db,
    email: options.email,
    sms: options.sms,
    publicUrl: options.publicUrl,
    emailFrom: options.emailFrom,
    rates: options.rates,
    batchSize: options.batchSize ?? 200,
    leaseMs,
    leaseMargin: Math.floor(leaseMs / 4),
    concurrency: options.concurrency ?? 8,
    retry: options.retry ?? DEFAULT_RETRY,
    clock: options.clock ?? (() => new Date()),
    log: options.log ?? (() => {}),
  };
  const pass = createPass(ctx, { sentSms: createSentSmsBatch(ctx), onTick: options.onTick, onPass: options.onPass });
  const lanes = createLanes(pass, {
    lanes: options.lanes ?? 2,
    pollMs: options.pollMs ?? 200,
    stallMs: options.stallMs ?? 2 * leaseMs,
    log: ctx.log,
  });
  return { tick: () => pass(null, true), start: lanes.start, stop: lanes.stop, health: lanes.health };
}
