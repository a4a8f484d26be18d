// The chunk scheduler of a SKU move: walks the SKU's open lines in chunks (each its own transaction), sizes the chunks
// by time on PGlite, splits the walk into lanes on PostgreSQL, yields to waiting requests between chunks, and reports
// progress after each chunk. A move re-run (a resumed job) walks again from the start: lines already at the new ETA
// are not read. What a chunk reads and writes is `classify-and-write-chunk.ts`.
import { sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { isEmbedded, rowsOf } from '#db/client.ts';
import { openStatus } from '#db/line-status-sql.ts';
import { retryOnConflict } from '#db/retry-on-conflict.ts';
import type { EtaWindow } from '#src/domain/eta-window.ts';
import type { Actor } from '../commands/actor.ts';
import type { StoreSettings } from '../store/store-settings.ts';
import { applyGroups, type GroupWrite, type Lines, readGroups, writeGroups } from './classify-and-write-chunk.ts';

/** Rule states a move remembers; each is a row every later write of the move carries and matches lines against. */
const MAX_KNOWN_STATES = 32;

/** The key of a rule state, as the update matches it. */
const stateKey = (w: GroupWrite) => JSON.stringify([w.status, w.applicable_time, w.old_compliance, w.old_from, w.old_to]);

/**
 * How many lines the next transaction takes. PGlite serves every request on this thread and a transaction blocks all
 * of them, so its chunks are sized to finish in about 10 ms (lookups stay fast during a fan-out: docs/benchmarks.md's
 * goal is that no request waits more than 20 ms behind it), half the limit: a chunk's time varies by more than its size explains. A
 * chunk over the target shrinks the next one to the size that would have met it at once; an early chunk grows
 * halfway, so one fast chunk does not make the next one long. Aiming at 15 ms with halfway steps both ways, 3–6 % of
 * a 100k move's chunks took over 20 ms (up to 28–46 ms); at 10 ms, 0–1 in ~760 did. Each chunk costs ~2 ms whatever
 * its size, so a move takes ~7 % longer than at 15 ms (decision 021). The first chunk is small: it also plans its statements.
 * PostgreSQL readers are not blocked by writers, so chunks there are large (each costs a commit and two statements),
 * but not so large that two lanes of long statements starve the lookups of CPU: at 25,000 lines lookup p99 reached
 * 74–100 ms during a 100k move, at 10,000 it stayed at 34–43 ms (decision 015). A customer's answer to a line in a
 * chunk waits for that chunk's commit, under a second.
 */
function chunkSizer(db: Db, fixed: number | undefined) {
  const TARGET_MS = 10;
  let size = fixed ?? (isEmbedded(db) ? 20 : 10_000);
  return {
    get size() {
      return size;
    },
    /** `lines`: how many the chunk took, more than its size when it ended with a large order (`nextLinesOfSku`). */
    took(ms: number, lines: number) {
      if (fixed !== undefined || !isEmbedded(db)) return;
      const ideal = (Math.max(size, lines) * TARGET_MS) / Math.max(ms, 1);
      size = Math.round(Math.min(2000, Math.max(20, ms > TARGET_MS ? ideal : (size + ideal) / 2)));
    },
  };
}

/** What a SKU move has done so far: the counts of its result. */
export type MoveProgress = { linesMoved: number; customersTold: number; notices: number; cancelled: number };

export type ChunkOptions = {
  /** Lines per transaction, fixed (tests). By default PGlite sizes chunks by time and PostgreSQL takes large ones. */
  chunkSize?: number;
  /**
   * After each chunk: what the move has done so far, and how long the chunk's transaction took (on PGlite, every
   * request waits that long). A throw stops the move after that chunk (a job taken over by another worker).
   */
  onProgress?: (progress: MoveProgress, chunkMs: number) => void;
  /**
   * Transactions working at once on PostgreSQL, each on its own id range of the SKU, on separate cores (two halve a
   * 100k-line move on two cores: 7.9 → 4.7 s). PGlite has one thread and always takes one.
   */
  lanes?: number;
};

/** The move the chunks carry out: already checked, and the product's own ETA already written. */
export type SkuLinesMove = { sku: string; eta: EtaWindow; reason: string; actor: Actor; now: Date; settings: StoreSettings };

/** Moves every open line of the SKU that is not at the new ETA yet, chunk by chunk; answers what it did. */
export async function moveSkuLinesInChunks(db: Db, move: SkuLinesMove, options: ChunkOptions = {}): Promise<MoveProgress> {
  const { sku, eta, reason, actor, now, settings } = move;
  let linesMoved = 0;
  /** Orders told, over every chunk and lane: an order whose lines fall in two chunks is one customer told. */
  const told = new Set<number>();
  let notices = 0;
  let cancelled = 0;
  // The rule states classified so far, shared by the lanes: most chunks of a SKU meet no other (decision 019).
  const known = new Map<string, GroupWrite>();
  const embedded = isEmbedded(db);
  const progress = (): MoveProgress => ({ linesMoved, customersTold: told.size, notices, cancelled });
  /**
   * Moves the next lines after `afterId` that are in a known rule state, without reading them first. PGlite runs it
   * as one statement, its own transaction; PostgreSQL in a transaction, for its `work_mem`.
   */
  const writeNext = (afterId: number, upTo: number, limit: number) => {
    const lines: Lines = { kind: 'next', sku, afterId, upTo, limit };
    const writes = [...known.values()];
    return embedded
      ? writeGroups(db, lines, writes, eta, actor, now, settings)
      : retryOnConflict(() => db.transaction((tx) => writeGroups(tx, lines, writes, eta, actor, now, settings)));
  };
  /** Walks the SKU's lines with ids in (from, upTo], chunk by chunk. */
  const walk = async (from: number, upTo: number) => {
    const sizer = chunkSizer(db, options.chunkSize);
    let afterId = from;
    for (;;) {
      if (known.size > 0) {
        const started = performance.now();
        const next = await writeNext(afterId, upTo, sizer.size);
        const ms = performance.now() - started;
        sizer.took(ms, next.picked);
        if (next.picked === 0) break;
        linesMoved += next.moved;
        for (const id of next.toldOrders) told.add(id);
        notices += next.notices;
        options.onProgress?.(progress(), ms);
        await new Promise((resolve) => setImmediate(resolve));
        if (next.moved === next.picked) {
          afterId = next.lastId;
          continue;
        }
        // Some lines were in a state not classified yet, lapsed, or changed meanwhile: read and classify them.
      }
      // The read is a statement of its own, apart from the write's transaction: on PGlite each holds every request up,
      // and the first of a process also plans its statement (a cold read and write together took 30–36 ms).
      let started = performance.now();
      const groups = await readGroups(db, { kind: 'sku', sku, afterId, upTo }, eta, sizer.size);
      const readMs = performance.now() - started;
      if (groups.length === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
      started = performance.now();
      const chunk = await retryOnConflict(() => db.transaction((tx) => applyGroups(tx, groups, eta, reason, actor, now, settings)));
      const ms = Math.max(readMs, performance.now() - started);
      sizer.took(
        ms,
        groups.reduce((n, g) => n + g.ids.length, 0),
      );
      afterId = chunk.lastId;
      linesMoved += chunk.moved;
      for (const id of chunk.toldOrders) told.add(id);
      notices += chunk.notices;
      cancelled += chunk.cancelled;
      for (const w of chunk.learned) if (known.size < MAX_KNOWN_STATES) known.set(stateKey(w), w);
      options.onProgress?.(progress(), ms);
      // Let waiting requests run between chunks (PGlite shares this thread).
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const lanes = embedded ? 1 : (options.lanes ?? 2);
  if (lanes <= 1) await walk(0, 2_147_483_647);
  else {
    const [range] = rowsOf<{ lo: number | null; hi: number | null }>(
      await db.execute(sql`select min(id) as lo, max(id) as hi from order_lines where sku = ${sku} and ${openStatus()}`),
    );
    const lo = Number(range?.lo ?? 0);
    const hi = Number(range?.hi ?? 0);
    const step = Math.ceil((hi - lo + 1) / lanes);
    // Each lane ends where an order's lines of the SKU end, as a chunk does (`nextLinesOfSku`).
    const bounds = [lo - 1];
    for (let i = 1; i < lanes; i++) {
      bounds.push(Math.max(bounds[i - 1] as number, await endOfOrderAt(db, sku, lo - 1 + i * step)));
    }
    bounds.push(2_147_483_647);
    // Every lane finishes (or fails) before the caller hears of a failure, so nothing is still moving when it does.
    const results = await Promise.allSettled(Array.from({ length: lanes }, (_, i) => walk(bounds[i] as number, bounds[i + 1] as number)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return { linesMoved, customersTold: told.size, notices, cancelled };
}

/** The last open line of the SKU in the order of its last open line at or before `id` (or `id`, when there is none). */
async function endOfOrderAt(db: Db, sku: string, id: number): Promise<number> {
  const [row] = rowsOf<{ end: number | null }>(
    await db.execute(sql`
      select max(id) as end from order_lines
      where sku = ${sku} and ${openStatus()} and order_id = (
        select order_id from order_lines where (sku, id) <= (${sku}, ${id}) and ${openStatus()}
        order by sku desc, id desc limit 1)`),
  );
  return Math.max(id, Number(row?.end ?? id));
}
