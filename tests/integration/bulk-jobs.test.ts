// A SKU move started from the console runs as a background job: its progress and outcome are recorded, and a job
// whose process stopped says so instead of looking busy forever.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { STORE_TIME_ZONE } from '#db/factories.ts';
import { bulkJobs, orderLines } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { getJob, INTERRUPTED_AFTER_MS, startSkuMoveJob } from '#src/app/bulk-jobs.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { holdChange, untilWaitingOnALock } from '#tests/support/racing-writer.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-23T16:00:00Z');
const clock = () => now;
const today = toCalendarDate(now, STORE_TIME_ZONE);
const actor = { type: 'staff' as const, id: 'jobs' };
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
});
afterAll(() => database.close());

/** The demo SKUs with open lines, most first. */
async function skusWithOpenLines(): Promise<Array<{ sku: string; n: number }>> {
  return rowsOf<{ sku: string; n: number }>(
    await database.db.execute(
      sql`select sku, count(*)::int as n from order_lines where status in ('waiting', 'ready') group by sku order by n desc, sku`,
    ),
  );
}

async function finished(id: number) {
  await expect.poll(async () => (await getJob(database.db, id, now))?.status, { timeout: 10_000 }).not.toBe('running');
  return getJob(database.db, id, now);
}

describe('a SKU move job', () => {
  it('moves every open line and records how many, with what the move did', async () => {
    const [target] = await skusWithOpenLines();
    if (!target) throw new Error('the demo has no open lines');
    const input = {
      sku: target.sku,
      from: addDays(today, 40),
      to: addDays(today, 45),
      reason: 'Late container',
      actor,
      expectedLines: target.n,
    };
    const id = await startSkuMoveJob(database.db, input, { clock });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'done', done: target.n, total: target.n, error: null, finishedAt: now });
    expect(job?.result).toMatchObject({ ok: true, linesMoved: target.n });
    const open = await database.db
      .select({ to: orderLines.etaTo })
      .from(orderLines)
      .where(and(eq(orderLines.sku, target.sku), inArray(orderLines.status, ['waiting', 'ready'])));
    expect(new Set(open.map((l) => l.to))).toEqual(new Set([addDays(today, 45)]));
  });

  it('records a refused move as failed, with the reason', async () => {
    const id = await startSkuMoveJob(
      database.db,
      { sku: 'NO-SUCH-SKU', from: addDays(today, 40), to: addDays(today, 45), reason: 'x', actor, expectedLines: 0 },
      { clock },
    );
    expect(await finished(id)).toMatchObject({ status: 'failed', error: 'not_found', finishedAt: now });
  });

  it('is interrupted once its heartbeat has been silent for a minute; a finished job stays finished', async () => {
    const { db } = database;
    const at = (msAgo: number) => new Date(now.getTime() - msAgo);
    const [stale, alive, done] = await db
      .insert(bulkJobs)
      .values([
        { kind: 'sku_move', params: { sku: 'A' }, heartbeatAt: at(INTERRUPTED_AFTER_MS + 1000) },
        { kind: 'sku_move', params: { sku: 'B' }, heartbeatAt: at(INTERRUPTED_AFTER_MS - 1000) },
        { kind: 'sku_move', params: { sku: 'C' }, status: 'done', heartbeatAt: at(10 * INTERRUPTED_AFTER_MS) },
      ])
      .returning({ id: bulkJobs.id });
    expect((await getJob(db, stale?.id as number, now))?.status).toBe('interrupted');
    expect((await getJob(db, alive?.id as number, now))?.status).toBe('running');
    expect((await getJob(db, done?.id as number, now))?.status).toBe('done');
  });

  // PostgreSQL runs writers concurrently, so a move can be made to wait on another writer's lock.
  it.runIf(process.env.DATABASE_URL)('keeps its heartbeat going while the move waits', async () => {
    const { db } = database;
    const [target] = await skusWithOpenLines();
    if (!target) throw new Error('the demo has no open lines');
    const [line] = await db
      .select({ id: orderLines.id })
      .from(orderLines)
      .where(and(eq(orderLines.sku, target.sku), inArray(orderLines.status, ['waiting', 'ready'])))
      .limit(1);
    const holding = await holdChange(db, (tx) => tx.execute(sql`select 1 from order_lines where id = ${line?.id} for update`));
    let tick = now.getTime();
    // Each reading of the job's clock is a second later, so every heartbeat writes a later time.
    const moving = () => {
      tick += 1000;
      return new Date(tick);
    };
    const input = {
      sku: target.sku,
      from: addDays(today, 50),
      to: addDays(today, 55),
      reason: 'Later still',
      actor,
      expectedLines: target.n,
    };
    const id = await startSkuMoveJob(db, input, { clock: moving, heartbeatMs: 20 });
    await untilWaitingOnALock(db);
    const [first] = await db.select({ at: bulkJobs.heartbeatAt }).from(bulkJobs).where(eq(bulkJobs.id, id));
    await expect
      .poll(async () => (await db.select({ at: bulkJobs.heartbeatAt }).from(bulkJobs).where(eq(bulkJobs.id, id)))[0]?.at.getTime())
      .toBeGreaterThan(first?.at.getTime() as number);
    expect((await getJob(db, id, new Date(tick)))?.status).toBe('running');
    await holding.commit();
    await expect.poll(async () => (await getJob(db, id, new Date(tick)))?.status, { timeout: 10_000 }).toBe('done');
  });
});
