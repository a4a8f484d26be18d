// A SKU move started from the console runs as a background job: its progress and outcome are recorded, and a job
// whose process stopped says so instead of looking busy forever.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { STORE_TIME_ZONE, storeFactory } from '#db/factories.ts';
import { bulkJobs, events, notifications, orderLines, storeSettings } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { parseConfig } from '#src/config/config.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { getJob, INTERRUPTED_AFTER_MS, MAX_RESUMES, resumeInterruptedJob, startSkuMoveJob } from '#src/eta/bulk-jobs.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import type { MoveProgress } from '#src/eta/move-sku-lines-in-chunks.ts';
import { describeInterruption, describeResumption } from '#src/i18n/job-resumption.ts';
import { notifierFromConfig } from '#src/messages/notifier/start-notifier.ts';
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

/**
 * A SKU of `orders` demo orders with `linesPerOrder` open lines each, near T (moving it sends each line a delay
 * option notice), one order's lines after another's.
 */
async function addSku(sku: string, orders: number, linesPerOrder: number, lineNo: number): Promise<number> {
  const { db } = database;
  await db.execute(sql`insert into products (sku, name, kind) values (${sku}, ${sku}, 'preorder')`);
  const at = addDays(today, 10);
  await db.execute(sql`
    insert into order_lines (order_id, line_no, product_id, sku, name, kind, status, quantity, unit_price, amount_paid,
                             promised_by, applicable_time, eta_from, eta_to, compliance, ship_by, awaiting_consent, version)
    select o.id, n, p.id, ${sku}, ${sku}, 'preorder', 'waiting', 1, 2500, 2500, ${at}::date, ${at}::date,
           ${addDays(today, 1)}::date, ${addDays(today, 4)}::date, '{"notices":[],"answers":[]}'::jsonb, ${at}::date, false, 1
    from (select id from orders order by id limit ${orders}) o
    cross join generate_series(${lineNo}::int, ${lineNo + linesPerOrder - 1}::int) n
    cross join products p
    where p.sku = ${sku}
    order by o.id, n`);
  return orders * linesPerOrder;
}

/** The SKU's lines' events and delay notice messages, as counts that do not depend on ids or on how the move ran. */
async function told(sku: string) {
  const { db } = database;
  const lines = await db
    .select({ id: orderLines.id, etaTo: orderLines.etaTo })
    .from(orderLines)
    .where(eq(orderLines.sku, sku))
    .orderBy(asc(orderLines.id));
  const lineEvents = await db
    .select({ id: events.id, lineId: events.lineId, type: events.type })
    .from(events)
    .where(
      inArray(
        events.lineId,
        lines.map((l) => l.id),
      ),
    );
  const messages = await db
    .select({ orderId: notifications.orderId, channel: notifications.channel, template: notifications.template })
    .from(notifications)
    .where(
      inArray(
        notifications.eventId,
        lineEvents.map((e) => e.id),
      ),
    );
  const perOrderAndChannel = new Map<string, number>();
  for (const m of messages)
    perOrderAndChannel.set(`${m.orderId}:${m.channel}`, (perOrderAndChannel.get(`${m.orderId}:${m.channel}`) ?? 0) + 1);
  return {
    etaTo: [...new Set(lines.map((l) => l.etaTo))],
    eventsPerLine: [
      ...new Set(
        lines.map((l) =>
          lineEvents
            .filter((e) => e.lineId === l.id)
            .map((e) => e.type)
            .join(','),
        ),
      ),
    ],
    messagesPerOrderAndChannel: [...new Set(perOrderAndChannel.values())],
    templates: [...new Set(messages.map((m) => m.template))],
    emails: messages.filter((m) => m.channel === 'email').length,
  };
}

describe('a SKU move whose process stopped', () => {
  // The jobs the tests above left running (one of them with a silent heartbeat) are out of the way: a resume pass
  // takes the oldest interrupted job first.
  beforeAll(async () => {
    await database.db.update(bulkJobs).set({ status: 'failed' }).where(eq(bulkJobs.status, 'running'));
  });

  const moveInput = (sku: string) => ({ sku, from: addDays(today, 40), to: addDays(today, 45), reason: 'Port strike', actor });

  /**
   * What a process killed in the middle of a move leaves: a job still `running`, owned by a runner that is gone, its
   * heartbeat silent for over a minute, with the counts it recorded after its last chunk; and the lines of the chunks
   * it finished moved and told. The move runs `chunks` chunks of `chunkSize` lines and is abandoned.
   */
  async function crashedJob(sku: string, total: number, chunks: number, chunkSize: number) {
    const { db } = database;
    const startedAt = new Date(now.getTime() - 5 * 60_000);
    const [job] = await db
      .insert(bulkJobs)
      .values({
        kind: 'sku_move',
        params: moveInput(sku),
        total,
        createdBy: actor.id,
        createdAt: startedAt,
        runner: 'a process that was killed',
        heartbeatAt: new Date(now.getTime() - INTERRUPTED_AFTER_MS - 1000),
      })
      .returning({ id: bulkJobs.id });
    let recorded: MoveProgress | null = null;
    let n = 0;
    const killed = new Error('killed');
    await expect(
      moveSkuEta(db, moveInput(sku), {
        now: startedAt,
        chunkSize,
        lanes: 1,
        onProgress: (progress) => {
          recorded = progress;
          if (++n === chunks) throw killed;
        },
      }),
    ).rejects.toBe(killed);
    const progress = recorded as MoveProgress | null;
    if (!progress) throw new Error('no chunk ran');
    await db
      .update(bulkJobs)
      .set({ done: progress.linesMoved, result: progress })
      .where(eq(bulkJobs.id, job?.id as number));
    return { id: job?.id as number, progress };
  }

  it("is taken over by a worker's resume pass and finishes where it stopped, telling no one twice", async () => {
    const { db } = database;
    // Twelve orders of five lines: chunks of seven lines end with their last order, so three chunks take 21 lines.
    const total = await addSku('RESUME-ME', 12, 5, 300);
    await addSku('RESUME-WHOLE', 12, 5, 310);
    const { id, progress } = await crashedJob('RESUME-ME', total, 3, 7);
    expect(progress).toEqual({ linesMoved: 30, customersTold: 6, notices: 30, cancelled: 0 });
    const interrupted = await getJob(db, id, now);
    expect(interrupted?.status).toBe('interrupted');
    // The job page says a worker will take it over, and nothing yet about a resumption.
    expect(describeInterruption(interrupted as NonNullable<typeof interrupted>).resumesItself).toBe(true);
    expect(describeResumption(interrupted as NonNullable<typeof interrupted>, STORE_TIME_ZONE)).toBeNull();

    // Two workers' passes at once: one takes the job, the other finds nothing to take.
    const claims = await Promise.all([resumeInterruptedJob(db, { clock }), resumeInterruptedJob(db, { clock })]);
    expect(claims.sort()).toEqual([id, null].sort());
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'done', done: total, total, resumes: 1, resumedAt: now, finishedAt: now, error: null });
    expect(job?.result).toMatchObject({ ok: true, linesMoved: total, notices: total, cancelled: 0, customersTold: 12 });
    // What the job page shows of it (16:00 UTC is 11:00 in the store's zone).
    expect(describeResumption(job as NonNullable<typeof job>, STORE_TIME_ZONE)).toMatch(
      /^Resumed by a worker at .*Nov.* 23, 2026.* 11:00.*AM, after the server running it stopped\.$/,
    );

    // Every line moved once, with one notice event, and one message per order and channel: as a move that never
    // stopped leaves it.
    await moveSkuEta(db, moveInput('RESUME-WHOLE'), { now });
    const resumed = await told('RESUME-ME');
    expect(resumed).toEqual(await told('RESUME-WHOLE'));
    expect(resumed).toEqual({
      etaTo: [addDays(today, 45)],
      eventsPerLine: ['delay_notice_sent'],
      messagesPerOrderAndChannel: [1],
      templates: ['delay_notice'],
      emails: 12,
    });
    // Finished, it is not taken again.
    expect(await resumeInterruptedJob(db, { clock: () => new Date(now.getTime() + 10 * INTERRUPTED_AFTER_MS) })).toBeNull();
  });

  it('is left alone while its heartbeat is fresh, and left interrupted once it has stopped its process too often', async () => {
    const { db } = database;
    const at = (msAgo: number) => new Date(now.getTime() - msAgo);
    const [alive, worn] = await db
      .insert(bulkJobs)
      .values([
        { kind: 'sku_move', params: moveInput('NO-SUCH-SKU'), heartbeatAt: at(INTERRUPTED_AFTER_MS - 1000) },
        { kind: 'sku_move', params: moveInput('NO-SUCH-SKU'), heartbeatAt: at(INTERRUPTED_AFTER_MS + 1000), resumes: MAX_RESUMES },
      ])
      .returning({ id: bulkJobs.id });
    expect(await resumeInterruptedJob(db, { clock })).toBeNull();
    expect((await getJob(db, alive?.id as number, now))?.status).toBe('running');
    const left = await getJob(db, worn?.id as number, now);
    expect(left?.status).toBe('interrupted');
    expect(describeInterruption(left as NonNullable<typeof left>)).toMatchObject({ resumesItself: false });
  });

  it('stops without recording an outcome when another worker has taken it over meanwhile', async () => {
    const { db } = database;
    const total = await addSku('TAKEN-OVER', 12, 5, 320);
    const id = await startSkuMoveJob(db, { ...moveInput('TAKEN-OVER'), expectedLines: total }, { clock });
    // Another worker took it for dead (a stalled process): the job is now that worker's.
    await db.update(bulkJobs).set({ runner: 'another worker' }).where(eq(bulkJobs.id, id));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [job] = await db.select().from(bulkJobs).where(eq(bulkJobs.id, id));
    expect(job).toMatchObject({ status: 'running', runner: 'another worker', finishedAt: null });
  });
});

describe("a notifier's loop", () => {
  it('takes over an interrupted SKU move (any process that runs a notifier, the web server or `npm run worker`)', async () => {
    // A database of its own: the loop's other housekeeping (the sweep, sends) runs on the real clock.
    const fresh = await freshDatabase();
    try {
      const { db } = fresh;
      await db.insert(storeSettings).values(storeFactory());
      const [job] = await db
        .insert(bulkJobs)
        .values({
          kind: 'sku_move',
          params: { sku: 'GONE-SINCE', from: null, to: null, reason: 'x' },
          runner: 'a process that was killed',
          heartbeatAt: new Date(Date.now() - INTERRUPTED_AFTER_MS - 1000),
        })
        .returning({ id: bulkJobs.id });
      const { notifier } = notifierFromConfig(db, parseConfig({}), () => {});
      await notifier.tick();
      // The SKU is gone, so the move it resumed ends at once, refused: the point is that it ran again.
      await expect
        .poll(
          async () =>
            (
              await db
                .select()
                .from(bulkJobs)
                .where(eq(bulkJobs.id, job?.id as number))
            )[0],
          { timeout: 10_000 },
        )
        .toMatchObject({ status: 'failed', error: 'not_found', resumes: 1 });
    } finally {
      await fresh.close();
    }
  });
});
