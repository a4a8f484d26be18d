// Writes sent SMS in small batches rather than one statement each.
import { describeError } from '#src/observability/error-summary.ts';
import type { Claimed } from './claimed.ts';
import type { NotifierContext } from './context.ts';
import { recordSent, type Sent } from './record-outcome.ts';

export type SentSmsBatch = {
  add(row: Claimed, providerId: string | null): void;
  /** Resolves once every sent row added before the call is written. */
  flush(): Promise<void>;
};

/**
 * PGlite pays a fixed cost per write and SMS goes one message per call. A crash before the flush leaves the row
 * `sending` with its lease and `retry_safe` false, so the next attempt finds it at Twilio (reconciliation) instead of
 * sending it again. One batch per notifier, shared by its lanes.
 */
export function createSentSmsBatch(ctx: NotifierContext): SentSmsBatch {
  const { clock, log } = ctx;
  let pending: Sent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Flushes run one after another; `flush()` waits for every one started before it, so a pass (and stop()) ends
  // only when its sent rows are written.
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    flushing = flushing.then(() =>
      recordSent(ctx, batch, clock()).catch((e: Error) => {
        // Not lost: the rows stay `sending` and the next attempt finds them at Twilio. Retried with the next flush.
        log(`notifier: recording sent SMS: ${describeError(e)}`);
        pending.push(...batch);
      }),
    );
    return flushing;
  };
  return {
    add(row, providerId) {
      pending.push({ row, providerId });
      if (pending.length >= 100) void flush();
      else timer ??= setTimeout(() => void flush(), 50);
    },
    flush,
  };
}
