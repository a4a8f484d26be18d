// The order page's reads kept in memory on embedded PGlite (decision 016). There every write happens in this process,
// and statement triggers on the order data send a NOTIFY that PGlite hands to us as the writing transaction commits,
// before its caller continues: a page read after a write never sees the old data.
import type { PGlite } from '@electric-sql/pglite';
import { type Db, isEmbedded, type Queryable } from '#db/client.ts';

/** The channel the triggers of migration 0007 notify when an order, line, event, refund, customer or the store changes. */
const CHANNEL = 'porchlight_order_data';

type Cache<T> = { entries: Map<string, T>; generation: number; hits: number; misses: number; max: number };

// On globalThis because Astro's build bundles its own copy of this module: server.mjs turns the cache on, the bundled
// page reads through it (as db/runtime.ts shares the database handle).
const KEY = Symbol.for('porchlight.orderPageCaches');
const holder = globalThis as { [KEY]?: WeakMap<Queryable, Cache<unknown>> };
holder[KEY] ??= new WeakMap();
const caches = holder[KEY];

/**
 * Turns the cache on for this embedded database (a no-op on PostgreSQL, where other processes write too and a
 * notification would arrive after the writer's commit returns). Returns whether it is on.
 */
export async function enableOrderPageCache(db: Db, max = 2_000): Promise<boolean> {
  if (!isEmbedded(db)) return false;
  if (caches.has(db)) return true;
  const cache: Cache<unknown> = { entries: new Map(), generation: 0, hits: 0, misses: 0, max };
  const client = (db as unknown as { $client: PGlite }).$client;
  // The triggers notify only when this is set: nobody else listens, and on a server NOTIFY serialises commits.
  await client.exec(`set porchlight.order_data_notify = 'on'`);
  await client.listen(CHANNEL, () => {
    cache.entries.clear();
    cache.generation += 1;
  });
  caches.set(db, cache);
  return true;
}

/**
 * `key`'s value from the cache, or read by `load` and kept unless order data changed while it was being read (then
 * it may be older than that change, and is returned but not kept).
 */
export async function cachedRead<T>(db: Queryable, key: string, load: () => Promise<T>): Promise<T> {
  const cache = caches.get(db) as Cache<T> | undefined;
  if (!cache) return load();
  const hit = cache.entries.get(key);
  if (hit !== undefined) {
    cache.hits += 1;
    return hit;
  }
  cache.misses += 1;
  const generation = cache.generation;
  const value = await load();
  if (generation === cache.generation && value !== null && value !== undefined) {
    // Oldest first out: a Map iterates in insertion order.
    if (cache.entries.size >= cache.max) cache.entries.delete(cache.entries.keys().next().value as string);
    cache.entries.set(key, value);
  }
  return value;
}

/** Hits and misses so far (tests, benchmarks), or null when the cache is off. */
export function orderPageCacheStats(db: Queryable): { hits: number; misses: number; size: number } | null {
  const cache = caches.get(db);
  return cache ? { hits: cache.hits, misses: cache.misses, size: cache.entries.size } : null;
}
