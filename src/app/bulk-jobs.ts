// Long staff operations run in the background of the web process, with their progress in `bulk_jobs` for the console.
import { eq } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { bulkJobs } from '#db/schema/index.ts';
import type { Actor } from './actor.ts';
import { moveSkuEta } from './move-eta.ts';

export type BulkJob = typeof bulkJobs.$inferSelect;

/**
 * Starts moving a SKU's ETA and returns the job id at once; the move runs chunk by chunk (each chunk one
 * transaction) and records its progress, so a page can show it for a SKU with thousands of open lines.
 */
export async function startSkuMoveJob(
  db: Db,
  input: { sku: string; from: string | null; to: string | null; reason: string; actor: Actor; expectedLines: number },
): Promise<number> {
  const [job] = await db
    .insert(bulkJobs)
    .values({
      kind: 'sku_move',
      params: { sku: input.sku, from: input.from, to: input.to, reason: input.reason },
      total: input.expectedLines,
      createdBy: input.actor.id,
    })
    .returning({ id: bulkJobs.id });
  const id = job?.id as number;
  void (async () => {
    try {
      let last = 0;
      const result = await moveSkuEta(
        db,
        { sku: input.sku, from: input.from, to: input.to, reason: input.reason, actor: input.actor },
        {
          onProgress: (done) => {
            if (done - last < 500 && done < input.expectedLines) return;
            last = done;
            void db.update(bulkJobs).set({ done }).where(eq(bulkJobs.id, id));
          },
        },
      );
      await db
        .update(bulkJobs)
        .set(
          result.ok
            ? { status: 'done', done: result.linesMoved, result, finishedAt: new Date() }
            : { status: 'failed', error: result.reason, finishedAt: new Date() },
        )
        .where(eq(bulkJobs.id, id));
    } catch (error) {
      await db
        .update(bulkJobs)
        .set({ status: 'failed', error: (error as Error).message, finishedAt: new Date() })
        .where(eq(bulkJobs.id, id));
    }
  })();
  return id;
}

export async function getJob(db: Db, id: number): Promise<BulkJob | null> {
  const [job] = await db.select().from(bulkJobs).where(eq(bulkJobs.id, id));
  return job ?? null;
}
