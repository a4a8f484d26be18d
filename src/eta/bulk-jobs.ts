// Long staff operations run in the background of a process with a notifier, with their progress in `bulk_jobs` for
// the console. A job whose process stopped is taken over by any running notifier and continues where it stopped.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { isEmbedded, rowsOf } from '#db/client.ts';
import { bulkJobs } from '#db/schema/index.ts';
import { describeError } from '#src/observability/error-summary.ts';
import type { Actor } from '../commands/actor.ts';
import { moveSkuEta } from './move-sku-eta.ts';
import type { MoveProgress } from './move-sku-lines-in-chunks.ts';

type JobRow = typeof bulkJobs.$inferSelect;
/** `interrupted`: still marked running, but the process running it stopped (a restart, a crash). */
export type BulkJob = Omit<JobRow, 'status'> & { status: JobRow['status'] | 'interrupted' };

/** How often a running job says it is alive, and how long without that it counts as interrupted. */
export const HEARTBEAT_MS = 5_000;
export const INTERRUPTED_AFTER_MS = 60_000;
/** On PGlite, how often at most a job records its progress (each write holds up every request for a moment). */
const PROGRESS_MS = 250;
/** A job that stopped its process this many times is left interrupted, for staff to look at, not resumed again. */
export const MAX_RESUMES = 3;

export type JobOptions = { clock?: () => Date; heartbeatMs?: number };

/** A SKU move's parameters as the job stores them; jobs from before the actor was stored ran for a staff member. */
type SkuMoveParams = { sku: string; from: string | null; to: string | null; reason: string; actor?: Actor };

const NO_PROGRESS: MoveProgress = { linesMoved: 0, customersTold: 0, notices: 0, cancelled: 0 };

/** The runs this process started, until they end: a caller that must wait for its move (the CLI) waits on it. */
const runs = new Map<number, Promise<void>>();

/**
 * Starts moving a SKU's ETA and returns the job id at once; the move runs chunk by chunk (each chunk one
 * transaction) and records its progress, so a page can show it for a SKU with thousands of open lines. If the process
 * stops, the job's heartbeat stops with it, and a running notifier resumes it (`resumeInterruptedJob`).
 */
export async function startSkuMoveJob(
  db: Db,
  input: { sku: string; from: string | null; to: string | null; reason: string; actor: Actor; expectedLines: number },
  options: JobOptions = {},
): Promise<number> {
  const clock = options.clock ?? (() => new Date());
  const runner = randomUUID();
  const params: SkuMoveParams = { sku: input.sku, from: input.from, to: input.to, reason: input.reason, actor: input.actor };
  const [job] = await db
    .insert(bulkJobs)
    .values({
      kind: 'sku_move',
      params,
      total: input.expectedLines,
      createdBy: input.actor.id,
      createdAt: clock(),
      heartbeatAt: clock(),
      runner,
    })
    .returning();
  if (!job) throw new Error('the job was not recorded');
  const run = runSkuMove(db, job, runner, options);
  runs.set(job.id, run);
  void run.finally(() => runs.delete(job.id));
  return job.id;
}

/** The job once the run this process started for it has ended (at once, when none is running here). */
export async function jobWhenFinished(db: Db, id: number): Promise<BulkJob | null> {
  await runs.get(id);
  return getJob(db, id);
}

/**
 * Takes over one SKU move whose process stopped (running, heartbeat silent for INTERRUPTED_AFTER_MS) and continues it
 * in the background; returns its id, or null when there is none. Any number of workers may call this at once: the
 * claim is one update that only one of them can make (a fresh heartbeat and a new runner). The move itself is its
 * progress: lines already at the new ETA are not read, moved or told again, so it goes on where it stopped.
 */
export async function resumeInterruptedJob(db: Db, options: JobOptions & { log?: (m: string) => void } = {}): Promise<number | null> {
  const clock = options.clock ?? (() => new Date());
  const now = clock();
  const staleBefore = new Date(now.getTime() - INTERRUPTED_AFTER_MS).toISOString();
  const runner = randomUUID();
  const [claimed] = rowsOf<{ id: number }>(
    await db.execute(sql`
      update bulk_jobs set runner = ${runner}, heartbeat_at = ${now.toISOString()}::timestamptz,
                           resumed_at = ${now.toISOString()}::timestamptz, resumes = resumes + 1
      where id = (
        select id from bulk_jobs
        where kind = 'sku_move' and status = 'running' and heartbeat_at < ${staleBefore}::timestamptz and resumes < ${MAX_RESUMES}
        order by id limit 1 for update skip locked)
        -- Checked again on the row as it is now: another worker's claim, committed meanwhile, freshened it.
        and status = 'running' and heartbeat_at < ${staleBefore}::timestamptz
      returning id`),
  );
  if (!claimed) return null;
  const [job] = await db
    .select()
    .from(bulkJobs)
    .where(eq(bulkJobs.id, Number(claimed.id)));
  if (!job) return null;
  options.log?.(
    `job ${job.id}: resuming the interrupted move of ${(job.params as SkuMoveParams).sku} (${job.done} of ${job.total} lines moved)`,
  );
  void runSkuMove(db, job, runner, options);
  return job.id;
}

/**
 * Runs (or goes on with) a job's move as `runner`. Its counts start from those the job recorded, and every chunk's
 * progress is written in order, so a run that takes over adds to what the last one recorded. A run that finds the job
 * owned by another runner (taken for dead while stalled) stops after its chunk and records nothing more.
 */
async function runSkuMove(db: Db, job: JobRow, runner: string, options: JobOptions): Promise<void> {
  const clock = options.clock ?? (() => new Date());
  const params = job.params as SkuMoveParams;
  const actor: Actor = params.actor ?? { type: 'staff', id: job.createdBy };
  const before: MoveProgress = { ...NO_PROGRESS, ...(job.result as Partial<MoveProgress> | null) };
  const total = (p: MoveProgress): MoveProgress => ({
    linesMoved: before.linesMoved + p.linesMoved,
    customersTold: before.customersTold + p.customersTold,
    notices: before.notices + p.notices,
    cancelled: before.cancelled + p.cancelled,
  });
  const mine = and(eq(bulkJobs.id, job.id), eq(bulkJobs.status, 'running'), eq(bulkJobs.runner, runner));
  let lost = false;
  // Beats go one after another, so a later count is never overwritten by an earlier one.
  let beats: Promise<void> = Promise.resolve();
  const beat = (progress?: MoveProgress) => {
    beats = beats.then(async () => {
      try {
        const set = progress ? { done: progress.linesMoved, result: progress, heartbeatAt: clock() } : { heartbeatAt: clock() };
        const updated = await db.update(bulkJobs).set(set).where(mine).returning({ id: bulkJobs.id });
        if (updated.length === 0) lost = true;
      } catch {
        // A missed beat is made up by the next one; the job's own outcome is written below.
      }
    });
  };
  // Progress goes to the job after every chunk on PostgreSQL (a chunk there is thousands of lines). On PGlite a chunk
  // is ~10 ms and a statement of its own costs 1–2 ms on the one thread every request waits on, so progress goes at
  // most every PROGRESS_MS there: a process that dies leaves up to that much work moved and told but not counted.
  const progressEveryMs = isEmbedded(db) ? PROGRESS_MS : 0;
  let lastProgress = Number.NEGATIVE_INFINITY;
  // Chunks report progress, but a slow stretch (or a move waiting on locks) must not look like a dead process.
  const heartbeat = setInterval(() => beat(), options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  let outcome: Partial<JobRow>;
  try {
    const result = await moveSkuEta(
      db,
      { sku: params.sku, from: params.from, to: params.to, reason: params.reason, actor },
      {
        now: clock(),
        onProgress: (progress) => {
          if (lost) throw new Error('taken over by another worker');
          if (performance.now() - lastProgress < progressEveryMs) return;
          lastProgress = performance.now();
          beat(total(progress));
        },
      },
    );
    outcome = result.ok
      ? { status: 'done', done: before.linesMoved + result.linesMoved, result: { ...result, ...total(result) } }
      : { status: 'failed', error: result.reason };
  } catch (error) {
    outcome = { status: 'failed', error: describeError(error) };
  } finally {
    clearInterval(heartbeat);
  }
  await beats;
  if (lost) return;
  // If even this write fails (the database going away), the job keeps `running` with a silent heartbeat, and a
  // notifier takes it over a minute later.
  await db
    .update(bulkJobs)
    .set({ ...outcome, finishedAt: clock(), heartbeatAt: clock() })
    .where(mine)
    .catch(() => undefined);
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
