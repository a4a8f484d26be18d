// Use cases: move the ETA window of one line, or of every open line of a SKU (set-based, in chunks).
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { orderLines, orders, products } from '#db/schema/index.ts';
import { type EtaWindow, makeEtaWindow } from '#src/domain/eta-window.ts';
import type { Actor } from './actor.ts';
import { enqueueForEvents } from './enqueue-notifications.ts';
import { loadStoreSettings } from './store-settings.ts';

export type MoveEtaResult =
  | { ok: true; linesMoved: number; customersTold: number }
  | { ok: false; reason: 'not_found' | 'invalid_date' | 'from_after_to' | 'reason_required' | 'not_open' };

type Target = { kind: 'sku'; sku: string } | { kind: 'line'; lineId: number };

/**
 * Moves up to `limit` open lines of the target that are not yet at `eta`, writing each line's `eta_changed` event
 * (deduplicated by the line's new version) and the notifications they cause, in the caller's transaction.
 */
async function moveChunk(
  tx: Queryable,
  target: Target,
  eta: EtaWindow,
  reason: string,
  actor: Actor,
  now: Date,
  limit: number,
  coalesceSeconds: number,
): Promise<{ moved: number; told: number }> {
  const where = target.kind === 'sku' ? sql`sku = ${target.sku}` : sql`id = ${target.lineId}`;
  const nowIso = now.toISOString();
  const result = await tx.execute(sql`
    with picked as (
      select id from order_lines
      where ${where} and status in ('waiting', 'ready')
        and (eta_from is distinct from ${eta.from}::date or eta_to is distinct from ${eta.to}::date)
      order by id limit ${limit} for update
    ), moved as (
      update order_lines l
      set eta_from = ${eta.from}::date, eta_to = ${eta.to}::date, version = l.version + 1, updated_at = ${nowIso}::timestamptz
      from order_lines old
      where l.id = old.id and l.id in (select id from picked)
      returning l.id, l.order_id, l.version, old.eta_from as old_from, old.eta_to as old_to
    )
    insert into events (order_id, line_id, type, actor_type, actor_id, data, dedupe_key, occurred_at)
    select order_id, id, 'eta_changed', ${actor.type}, ${actor.id},
           jsonb_build_object('from', jsonb_build_object('from', old_from, 'to', old_to),
                              'to', jsonb_build_object('from', ${eta.from}::date, 'to', ${eta.to}::date),
                              'reason', ${reason}::text),
           'line:' || id || ':v' || version, ${nowIso}::timestamptz
    from moved
    on conflict (dedupe_key) do nothing
    returning id`);
  const eventIds = rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
  const told = await enqueueForEvents(tx, eventIds, { now, coalesceSeconds, required: false, template: 'update' });
  return { moved: eventIds.length, told };
}

function parseWindow(
  from: string | null,
  to: string | null,
): { ok: true; eta: EtaWindow } | { ok: false; reason: 'invalid_date' | 'from_after_to' } {
  const parsed = makeEtaWindow(from, to);
  return parsed.ok ? { ok: true, eta: parsed.window } : parsed;
}

export type MoveSkuEtaInput = { sku: string; from: string | null; to: string | null; reason: string; actor: Actor };
export type MoveSkuOptions = {
  now?: Date;
  /** Lines per transaction: small on PGlite, whose single thread must keep serving requests between chunks. */
  chunkSize?: number;
  onProgress?: (linesMoved: number) => void;
};

/** Moves a SKU's ETA and every open line of it; re-running the same move changes and sends nothing. */
export async function moveSkuEta(db: Db, input: MoveSkuEtaInput, options: MoveSkuOptions = {}): Promise<MoveEtaResult> {
  const now = options.now ?? new Date();
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: 'reason_required' };
  const window = parseWindow(input.from, input.to);
  if (!window.ok) return window;
  const [product] = await db.select({ id: products.id }).from(products).where(eq(products.sku, input.sku));
  if (!product) return { ok: false, reason: 'not_found' };
  const settings = await loadStoreSettings(db);
  await db
    .update(products)
    .set({ etaFrom: window.eta.from, etaTo: window.eta.to, etaReason: reason, updatedAt: now })
    .where(eq(products.id, product.id));

  const chunkSize = options.chunkSize ?? 1000;
  let linesMoved = 0;
  let customersTold = 0;
  for (;;) {
    const { moved, told } = await db.transaction((tx) =>
      moveChunk(tx, { kind: 'sku', sku: input.sku }, window.eta, reason, input.actor, now, chunkSize, settings.coalesceSeconds),
    );
    if (moved === 0) break;
    linesMoved += moved;
    customersTold += told;
    options.onProgress?.(linesMoved);
    // Let waiting requests run between chunks (PGlite shares this thread).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ok: true, linesMoved, customersTold };
}

export type MoveLineEtaInput = {
  orderNumber: string;
  lineNo: number;
  from: string | null;
  to: string | null;
  reason: string;
  actor: Actor;
};

export async function moveLineEta(db: Db, input: MoveLineEtaInput, now: Date = new Date()): Promise<MoveEtaResult> {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: 'reason_required' };
  const window = parseWindow(input.from, input.to);
  if (!window.ok) return window;
  return db.transaction(async (tx) => {
    const [line] = await tx
      .select({ id: orderLines.id, status: orderLines.status })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(and(eq(orders.number, input.orderNumber), eq(orderLines.lineNo, input.lineNo)));
    if (!line) return { ok: false, reason: 'not_found' };
    if (line.status !== 'waiting' && line.status !== 'ready') return { ok: false, reason: 'not_open' };
    const settings = await loadStoreSettings(tx);
    const { moved, told } = await moveChunk(
      tx,
      { kind: 'line', lineId: line.id },
      window.eta,
      reason,
      input.actor,
      now,
      1,
      settings.coalesceSeconds,
    );
    return { ok: true, linesMoved: moved, customersTold: told };
  });
}
