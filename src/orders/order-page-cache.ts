// The order page's reads kept in memory (decision 016), served only while they are sure to be current:
// - on embedded PGlite every write happens in this process, and statement triggers on the order data send a NOTIFY
//   that PGlite hands to us as the writing transaction commits, before its caller continues: the cache is emptied;
// - on PostgreSQL other processes write too, and their notifications arrive late, so each hit is checked instead: it is
//   served only if no transaction has committed since it was read (`pg_current_snapshot()`, one small round trip).
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { type Db, isEmbedded, type Queryable, rowsOf } from '#db/client.ts';
import { nothingCommittedBetween, parseSnapshot, type Snapshot } from '#db/snapshot.ts';

/** The channel the triggers of migration 0007 notify when an order, line, event, refund, customer or the store changes. */
const CHANNEL = 'porchlight_order_data';

type Entry<T> = { value: T; snapshot: Snapshot | null };
type Cache<T> = {
  mode: 'notify' | 'snapshot';
  entries: Map<string, Entry<T>>;
  generation: number;
  hits: number;
  misses: number;
  max: number;
  /** A snapshot taken after the call (PostgreSQL), shared by requests that arrive together. */
  snapshot: () => Promise<Snapshot | null>;
};

// On globalThis because Astro's build bundles its own copy of this module: server.mjs turns the cache on, the bundled
// page reads through it (as db/runtime.ts shares the database handle).
const KEY = Symbol.for('porchlight.orderPageCaches');
const holder = globalThis as { [KEY]?: WeakMap<Queryable, Cache<unknown>> };
holder[KEY] ??= new WeakMap();
const caches = holder[KEY];

/** Turns the cache on for this process's database. */
export async function enableOrderPageCache(db: Db, max = 2_000): Promise<void> {
  if (caches.has(db)) return;
  const embedded = isEmbedded(db);
  const cache: Cache<unknown> = {
    mode: embedded ? 'notify' : 'snapshot',
    entries: new Map(),
    generation: 0,
    hits: 0,
    misses: 0,
    max,
    snapshot: sharedRunAfterCall(() => currentSnapshot(db)),
  };
  if (embedded) {
    const client = (db as unknown as { $client: PGlite }).$client;
    // The triggers notify only when this is set: on a server, NOTIFY would serialise every writing commit.
    await client.exec(`set porchlight.order_data_notify = 'on'`);
    await client.listen(CHANNEL, () => {
      cache.entries.clear();
      cache.generation += 1;
    });
  }
  caches.set(db, cache);
}

/** The snapshot the database would read under now. */
async function currentSnapshot(db: Queryable): Promise<Snapshot | null> {
  const [row] = rowsOf<{ s: string }>(await db.execute(sql`select pg_current_snapshot()::text as s`));
  return row ? parseSnapshot(row.s) : null;
}

/**
 * Wraps `run` so that each call gets the result of a run that started after the call began: callers that arrive
 * together share one run, but never join a run that was already under way when they arrived (for a snapshot, that
 * could predate a write the caller has seen commit, such as its own).
 */
export function sharedRunAfterCall<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = () => {
    const current = run();
    running = current;
    const done = () => {
      if (running === current) running = null;
    };
    current.then(done, done);
    return current;
  };
  return () => {
    if (queued) return queued;
    if (!running) return start();
    queued = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}

/**
 * `key`'s value from the cache when it is sure to be current, else read by `load` (which reports the snapshot it read
 * under) and kept. On PGlite a read that overlapped a write is returned but not kept.
 */
export async function cachedRead<T>(
  db: Queryable,
  key: string,
  load: () => Promise<T>,
  snapshotOf: (value: T) => string | null,
): Promise<T> {
  const cache = caches.get(db) as Cache<T> | undefined;
  if (!cache) return load();
  const hit = cache.entries.get(key);
  if (hit !== undefined) {
    if (cache.mode === 'notify') {
      cache.hits += 1;
      return hit.value;
    }
    const now = await cache.snapshot();
    if (hit.snapshot && now && nothingCommittedBetween(hit.snapshot, now)) {
      cache.hits += 1;
      return hit.value;
    }
    cache.entries.delete(key);
  }
  cache.misses += 1;
  const generation = cache.generation;
  const value = await load();
  if (generation !== cache.generation || value === null || value === undefined) return value;
  const snapshot = cache.mode === 'snapshot' ? parseSnapshot(snapshotOf(value) ?? '') : null;
  if (cache.mode === 'snapshot' && !snapshot) return value;
  // Oldest first out: a Map iterates in insertion order.
  if (cache.entries.size >= cache.max) cache.entries.delete(cache.entries.keys().next().value as string);
  cache.entries.set(key, { value, snapshot });
  return value;
}

/** Hits and misses so far (tests, benchmarks), or null when the cache is off. */
export function orderPageCacheStats(db: Queryable): { hits: number; misses: number; size: number } | null {
  const cache = caches.get(db);
  return cache ? { hits: cache.hits, misses: cache.misses, size: cache.entries.size } : null;
}
