// Databases and set-based store seeding for the notifier benchmarks (bench/notifier.ts) and the chaos run (bench/chaos.ts).
import { connect } from 'node:net';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, type Db, openDatabase, rowsOf } from '#db/client.ts';
import { DEMO_PRODUCTS, productFactory, STORE_TIME_ZONE, storeFactory } from '#db/factories.ts';
import type { CheckpointOptions } from '#db/pglite-checkpoints.ts';
import { products, storeSettings } from '#db/schema/index.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** True when something answers PostgreSQL's protocol at the URL's host and port within `timeoutMs`. */
export async function postgresAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const u = new URL(url);
  const open = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!open) return false;
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 1 });
  }
}

/** DATABASE_URL when set, else the local server at 127.0.0.1:5432 if it answers, else undefined. */
export async function resolvePostgresUrl(): Promise<string | undefined> {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (fromEnv) return fromEnv;
  return (await postgresAnswers(DEFAULT_POSTGRES_URL)) ? DEFAULT_POSTGRES_URL : undefined;
}

/** A fresh, migrated PostgreSQL database named `name` on the server of `adminUrl`; `close()` drops it. */
export async function freshPostgres(adminUrl: string, name: string, max = 10): Promise<Database & { url: string }> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url, max });
  await database.migrate();
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await dropper.end();
    },
  };
}

/** A fresh, migrated PGlite in a data folder (as production uses it). */
export async function freshPglite(dataDir: string, checkpoints?: CheckpointOptions): Promise<Database> {
  const database = await openDatabase(checkpoints ? { dataDir, checkpoints } : { dataDir });
  await database.migrate();
  return database;
}

/**
 * The store row (no SMS quiet hours, so results do not depend on the time of day the benchmark runs; the given
 * coalescing delay) and the demo catalogue plus the benchmark SKUs.
 */
export async function prepareStore(db: Db, now: Date, opts: { coalesceSeconds: number; skus: string[] }): Promise<void> {
  const today = toCalendarDate(now, STORE_TIME_ZONE);
  await db
    .insert(storeSettings)
    .values(storeFactory({ coalesceSeconds: opts.coalesceSeconds, quietHoursStart: '00:00', quietHoursEnd: '00:00' }))
    .onConflictDoNothing();
  await db
    .insert(products)
    .values(DEMO_PRODUCTS.map((p) => productFactory(p, today)))
    .onConflictDoNothing();
  for (const sku of opts.skus) {
    await db
      .insert(products)
      .values({ sku, name: `Benchmark lantern ${sku}`, kind: 'preorder', etaFrom: addDays(today, 10), etaTo: addDays(today, 14) })
      .onConflictDoNothing();
  }
}

export type SeedSkuOptions = {
  sku: string;
  /** How many orders (one customer and one open line each) to add for this SKU. */
  lines: number;
  now: Date;
  /** Every `smsEvery`-th customer has recorded SMS consent for their number (0 = none). */
  smsEvery: number;
  chunk?: number;
  onProgress?: (done: number) => void;
};

const ZONES = `array['America/New_York','America/Chicago','America/Los_Angeles','America/Denver','Europe/Berlin']`;

/**
 * Adds `lines` orders of one waiting preorder line of `sku`, set-based (insert … select generate_series), in chunks.
 * Lines carry the real columns: T = applicable_time = promised_by = today + 21..25 days, ship_by = T, an ETA window
 * of today + 10..14, empty compliance; each order has its order_created event. Returns the order ids added.
 */
export async function seedSkuLines(db: Db, o: SeedSkuOptions): Promise<{ firstOrderId: number; lastOrderId: number }> {
  const today = toCalendarDate(o.now, STORE_TIME_ZONE);
  const placed = new Date(o.now.getTime() - 3 * 86_400_000).toISOString();
  const nowIso = o.now.toISOString();
  const chunk = o.chunk ?? 10_000;
  const [product] = rowsOf<{ id: number }>(await db.execute(sql`select id from products where sku = ${o.sku}`));
  if (!product) throw new Error(`no product ${o.sku}`);
  const maxOf = async (table: 'customers' | 'orders') =>
    Number(rowsOf<{ m: number | string | null }>(await db.execute(sql.raw(`select coalesce(max(id), 0) as m from ${table}`)))[0]?.m ?? 0);
  let firstOrderId = 0;
  let lastOrderId = 0;
  for (let done = 0; done < o.lines; done += chunk) {
    const size = Math.min(chunk, o.lines - done);
    const c0 = await maxOf('customers');
    const o0 = await maxOf('orders');
    const sms = o.smsEvery > 0 ? sql`g % ${o.smsEvery} = 0` : sql`false`;
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into customers (name, email, phone, locale, time_zone, sms_consent_at, sms_consent_method, sms_consent_phone)
        select 'Shopper ' || g, 'shopper' || g || '@example.com', '+1555' || lpad(g::text, 7, '0'), 'en',
               (${sql.raw(ZONES)})[1 + g % 5],
               case when ${sms} then ${nowIso}::timestamptz end,
               case when ${sms} then 'checkout' end,
               case when ${sms} then '+1555' || lpad(g::text, 7, '0') end
        from generate_series(${c0 + 1}::int, ${c0 + size}::int) g`);
      await tx.execute(sql`
        insert into orders (number, customer_id, placed_at, completed_at, currency, payment_state, shipping_paid)
        select (500000 + c.id)::text, c.id, ${placed}::timestamptz, ${placed}::timestamptz, 'USD', 'paid', 795
        from customers c where c.id > ${c0} order by c.id`);
      await tx.execute(sql`
        insert into order_lines (order_id, line_no, product_id, sku, name, kind, status, quantity, unit_price, amount_paid,
                                 promised_by, applicable_time, eta_from, eta_to, compliance, ship_by, awaiting_consent, version)
        select o.id, 1, ${product.id}, ${o.sku}, 'Benchmark lantern', 'preorder', 'waiting', 1, 8900, 8900,
               ${today}::date + 21 + o.id % 5, ${today}::date + 21 + o.id % 5, ${addDays(today, 10)}::date, ${addDays(today, 14)}::date,
               '{"notices":[],"answers":[]}'::jsonb, ${today}::date + 21 + o.id % 5, false, 1
        from orders o where o.id > ${o0} order by o.id`);
      await tx.execute(sql`
        insert into events (order_id, type, actor_type, actor_id, data, occurred_at)
        select o.id, 'order_created', 'api', 'shop', '{"lines":1}'::jsonb, o.placed_at from orders o where o.id > ${o0} order by o.id`);
    });
    if (firstOrderId === 0) firstOrderId = o0 + 1;
    lastOrderId = await maxOf('orders');
    o.onProgress?.(done + size);
    await new Promise((r) => setImmediate(r));
  }
  return { firstOrderId, lastOrderId };
}

/** Adds one customer_note event to each order in [firstOrderId, lastOrderId] (set-based); returns their ids in order. */
export async function addNoteEvents(db: Db, firstOrderId: number, lastOrderId: number, now: Date, text: string): Promise<number[]> {
  const rows = rowsOf<{ id: number | string }>(
    await db.execute(sql`
      insert into events (order_id, type, actor_type, actor_id, data, occurred_at)
      select o.id, 'customer_note', 'staff', 'bench', jsonb_build_object('text', ${text}::text), ${now.toISOString()}::timestamptz
      from orders o where o.id between ${firstOrderId} and ${lastOrderId} order by o.id
      returning id`),
  );
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export async function countRows(db: Db, table: 'events' | 'notifications' | 'order_lines'): Promise<number> {
  return Number(rowsOf<{ n: number | string }>(await db.execute(sql.raw(`select count(*) as n from ${table}`)))[0]?.n ?? 0);
}

/** Percentile of an ascending array (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Most events that fall in any window [t, t + ms) (sliding), and in fixed windows aligned to the first event. */
export function maxInWindow(times: number[], weights: number[] | null, ms = 1000): { sliding: number; fixed: number[] } {
  const order = times.map((t, i) => ({ t, w: weights?.[i] ?? 1 })).sort((a, b) => a.t - b.t);
  let sliding = 0;
  let j = 0;
  let sum = 0;
  for (let i = 0; i < order.length; i++) {
    sum += order[i]?.w ?? 0;
    while ((order[j]?.t ?? 0) <= (order[i]?.t ?? 0) - ms) {
      sum -= order[j]?.w ?? 0;
      j++;
    }
    sliding = Math.max(sliding, sum);
  }
  const fixed: number[] = [];
  const t0 = order[0]?.t ?? 0;
  for (const e of order) {
    const k = Math.floor((e.t - t0) / ms);
    while (fixed.length <= k) fixed.push(0);
    fixed[k] = (fixed[k] ?? 0) + e.w;
  }
  return { sliding, fixed };
}
