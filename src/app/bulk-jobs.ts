// Long staff operations run in the background of the web process, with their progress in `bulk_jobs` for the console.
import { and, eq } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { bulkJobs } from '#db/schema/index.ts';
import type { Actor } from './actor.ts';
import { moveSkuEta } from './move-eta.ts';

type JobRow = typeof bulkJobs.$inferSelect;
/** `interrupted`: still marked running, but the process running it stopped (a restart, a crash). */
export type BulkJob = Omit<JobRow, 'status'> & { status: JobRow['status'] | 'interrupted' };

/** How often a running job says it is alive, and how long without that it counts as interrupted. */
export const HEARTBEAT_MS = 5_000;
export const INTERRUPTED_AFTER_MS = 60_000;

export type JobOptions = { clock?: () => Date; heartbeatMs?: number };

/**
 * Starts moving a SKU's ETA and returns the job id at once; the move runs chunk by chunk (each chunk one
 * transaction) and records its progress, so a page can show it for a SKU with thousands of open lines. The job
 * lives in this process: if the process stops, the job's heartbeat stops with it and the page says so. Moving the
 * SKU again then continues where it stopped (lines already moved are not moved or told again).
 */
export async function startSkuMoveJob(
  db: Db,
  input: { sku: string; from: string | null; to: string | null; reason: string; actor: Actor; expectedLines: number },
  options: JobOptions = {},
): Promise<number> {
  const clock = options.clock ?? (() => new Date());
  const [job] = await db
    .insert(bulkJobs)
    .values({
      kind: 'sku_move',
      params: { sku: input.sku, from: input.from, to: input.to, reason: input.reason },
      total: input.expectedLines,
      createdBy: input.actor.id,
      createdAt: clock(),
      heartbeatAt: clock(),
    })
    .returning({ id: bulkJobs.id });
  const id = job?.id as number;
  const beat = (extra: Partial<JobRow> = {}) =>
    db
      .update(bulkJobs)
      .set({ ...extra, heartbeatAt: clock() })
      // A beat that lands after the outcome (PostgreSQL's pool does not keep their order) must not undo its count.
      .where(and(eq(bulkJobs.id, id), eq(bulkJobs.status, 'running')))
      .then(
        () => undefined,
        () => undefined, // A missed beat is made up by the next one; the job's own outcome is written below.
      );
  void (async () => {
    // Chunks report progress, but a slow stretch (or a move waiting on locks) must not look like a dead process.
    const heartbeat = setInterval(() => void beat(), options.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    let outcome: Partial<JobRow>;
    try {
      let last = 0;
      const result = await moveSkuEta(
        db,
        { sku: input.sku, from: input.from, to: input.to, reason: input.reason, actor: input.actor },
        {
          now: clock(),
          onProgress: (done) => {
            if (done - last < 500 && done < input.expectedLines) return;
            last = done;
            void beat({ done });
          },
        },
      );
      outcome = result.ok ? { status: 'done', done: result.linesMoved, result } : { status: 'failed', error: result.reason };
    } catch (error) {
      outcome = { status: 'failed', error: (error as Error).message };
    } finally {
      clearInterval(heartbeat);
    }
    // If even this write fails (the database going away), the job keeps `running` with a silent heartbeat, which the
    // console shows as interrupted a minute later: the truth, as far as anyone can tell.
    await db
      .update(bulkJobs)
      .set({ ...outcome, finishedAt: clock(), heartbeatAt: clock() })
      .where(eq(bulkJobs.id, id))
      .catch(() => undefined);
  })();
  return id;
}

/** A job as the console shows it: one still marked running whose heartbeat stopped is `interrupted`. */
function jobAsOf(job: JobRow, now: Date): BulkJob {
  const silentMs = now.getTime() - job.heartbeatAt.getTime();
  return job.status === 'running' && silentMs > INTERRUPTED_AFTER_MS ? { ...job, status: 'interrupted' } : job;
}

export async function getJob(db: Db, id: number, now: Date = new Date()): Promise<BulkJob | null> {
  const [job] = await db.select().from(bulkJobs).where(eq(bulkJobs.id, id));
  return job ? jobAsOf(job, now) : null;
}
