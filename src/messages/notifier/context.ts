// What every part of one notifier shares: its database, channels, settings (defaults applied), clock and log.
import type { Db } from '#db/client.ts';
import type { EmailChannel, SmsChannel } from '../channels/types.ts';
import type { RetryPolicy } from './retry-policy.ts';

export type NotifierContext = {
  readonly db: Db;
  readonly email: EmailChannel;
  readonly sms: SmsChannel | null;
  readonly publicUrl: string;
  readonly emailFrom: string | null;
  /** Provider limits, shared by all workers through the database; 0 = unlimited. */
  readonly rates: { emailRequestsPerSecond: number; smsSegmentsPerSecond: number };
  readonly batchSize: number;
  readonly leaseMs: number;
  /**
   * How much of a lease must be left for a send to start: a pass whose thread stalled (so its leases were not
   * renewed) may have lost rows to another worker, which would send them too. A quarter of the lease also covers
   * clock differences between workers.
   */
  readonly leaseMargin: number;
  /** Calls to providers in flight at once, per lane. */
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly clock: () => Date;
  readonly log: (message: string) => void;
};
