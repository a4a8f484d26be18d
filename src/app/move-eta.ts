// Use cases: move the ETA window of one line, or of every open line of a SKU (set-based, in chunks).
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { type LineCompliance, orderLines, orders, products } from '#db/schema/index.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import { type EtaWindow, makeEtaWindow } from '#src/domain/eta-window.ts';
import { classifyDelay, noticeRecord } from '#src/domain/ftc-rule.ts';
import type { LineStatus } from '#src/domain/line-status.ts';
import { type Actor, SYSTEM } from './actor.ts';
import { cancelLinesInTx } from './cancel-lines.ts';
import { enqueueForEvents } from './enqueue-notifications.ts';
import { projectCompliance, ruleStateOf } from './line-compliance.ts';
import { loadStoreSettings, type StoreSettings } from './store-settings.ts';

export type MoveEtaResult =
  /** `notices`: delay option notices sent (435.2(b)); `cancelled`: lines that had already lapsed and were cancelled. */
  | { ok: true; linesMoved: number; customersTold: number; notices: number; cancelled: number }
  | { ok: false; reason: 'not_found' | 'invalid_date' | 'from_after_to' | 'reason_required' | 'not_open' | 'date_in_past' };

/** `sameEta`: the sweep re-examines a line whose ETA did not move (its T arrived with no notice sent). */
/** A SKU is walked by id (`afterId`), so each chunk starts where the last ended instead of re-scanning moved lines. */
type Target = { kind: 'sku'; sku: string; afterId: number } | { kind: 'line'; lineId: number; sameEta?: boolean };

type ChunkResult = { moved: number; told: number; notices: number; cancelled: number; lastId: number };

/**
 * Moves up to `limit` open lines of the target that are not yet at `eta`. Each line is classified by the FTC rule:
 * no notice needed (an optional update, coalesced), a delay option notice (required, sent at once: 435.2(b)), or
 * already lapsed (cancelled and refunded now: 435.2(c)). Line changes, their events and their messages are written
 * set-based in the caller's transaction; events are deduplicated by the line's new version.
 */
async function moveChunk(
  tx: Tx,
  target: Target,
  eta: EtaWindow,
  reason: string,
  actor: Actor,
  now: Date,
  limit: number,
  settings: StoreSettings,
): Promise<ChunkResult> {
  const where = target.kind === 'sku' ? sql`sku = ${target.sku} and id > ${target.afterId}` : sql`id = ${target.lineId}`;
  const today = toCalendarDate(now, settings.timeZone);
  const picked = rowsOf<{
    id: number;
    order_id: number;
    status: LineStatus;
    applicable_time: string | Date;
    compliance: LineCompliance;
    version: number;
    eta_from: string | Date | null;
    eta_to: string | Date | null;
  }>(
    await tx.execute(sql`
      select id, order_id, status, applicable_time::text as applicable_time, compliance, version,
             eta_from::text as eta_from, eta_to::text as eta_to
      from order_lines
      where ${where} and status in ('waiting', 'ready')
        and (${target.kind === 'line' && target.sameEta === true} or eta_from is distinct from ${eta.from}::date or eta_to is distinct from ${eta.to}::date)
      order by id limit ${limit} for update`),
  );
  if (picked.length === 0) return { moved: 0, told: 0, notices: 0, cancelled: 0, lastId: 0 };

  const updates: Array<Record<string, unknown>> = [];
  const newEvents: Array<Record<string, unknown>> = [];
  const lapsed: Array<{ orderId: number; lineId: number; section: string; why: string; vestedOn: string }> = [];
  const nowIso = now.toISOString();
  for (const p of picked) {
    const row = { applicableTime: String(p.applicable_time), status: p.status, compliance: p.compliance };
    const c = classifyDelay(ruleStateOf(row), { revisedDate: eta.to, reason }, today);
    if (c.action === 'cancel_now') {
      lapsed.push({ orderId: p.order_id, lineId: p.id, section: c.section, why: c.why, vestedOn: c.vestedOn });
      continue;
    }
    if (c.action === 'invalid_eta') throw new Error(`invalid ETA for line ${p.id}: ${c.why}`);
    const version = p.version + 1;
    const notice = noticeRecord(c, today);
    const compliance: LineCompliance = notice ? { ...p.compliance, notices: [...p.compliance.notices, notice] } : p.compliance;
    const projected = projectCompliance({ ...row, compliance }, today);
    updates.push({ id: p.id, version, compliance, ship_by: projected.shipBy, awaiting: projected.awaitingConsent });
    const from = { from: p.eta_from === null ? null : String(p.eta_from), to: p.eta_to === null ? null : String(p.eta_to) };
    const etaMoved = from.from !== eta.from || from.to !== eta.to;
    if (!etaMoved && c.action === 'no_notice') {
      updates.pop();
      continue;
    }
    if (etaMoved) {
      newEvents.push({
        order_id: p.order_id,
        line_id: p.id,
        type: 'eta_changed',
        rule_section: null,
        data: { from, to: eta, reason, classification: c.action },
        dedupe_key: `line:${p.id}:v${version}`,
      });
    }
    if (notice && c.action !== 'no_notice') {
      newEvents.push({
        order_id: p.order_id,
        line_id: p.id,
        type: 'delay_notice_sent',
        rule_section: c.section,
        data: { ...notice, action: c.action, noticeIndex: compliance.notices.length - 1 },
        dedupe_key: `notice:${p.id}:v${version}`,
      });
    }
  }

  let told = 0;
  let notices = 0;
  if (updates.length > 0) {
    await tx.execute(sql`
      update order_lines l
      set eta_from = ${eta.from}::date, eta_to = ${eta.to}::date, version = v.version, compliance = v.compliance,
          ship_by = v.ship_by, awaiting_consent = v.awaiting, updated_at = ${nowIso}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id int, version int, compliance jsonb, ship_by date, awaiting boolean)
      where l.id = v.id`);
    const inserted = rowsOf<{ id: number | string; type: string; data: { classification?: string } }>(
      await tx.execute(sql`
        insert into events (order_id, line_id, type, actor_type, actor_id, rule_section, data, dedupe_key, occurred_at)
        select v.order_id, v.line_id, v.type, ${actor.type}, ${actor.id}, v.rule_section, v.data, v.dedupe_key, ${nowIso}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(newEvents)}::jsonb)
          as v(order_id int, line_id int, type text, rule_section text, data jsonb, dedupe_key text)
        on conflict (dedupe_key) do nothing
        returning id, type, data`),
    );
    const optional = inserted.filter((e) => e.type === 'eta_changed' && e.data.classification === 'no_notice').map((e) => Number(e.id));
    const required = inserted.filter((e) => e.type === 'delay_notice_sent').map((e) => Number(e.id));
    notices = required.length;
    told += await enqueueForEvents(tx, optional, { now, coalesceSeconds: settings.coalesceSeconds, required: false, template: 'update' });
    // 435.2(b)(1): the notice goes without delay; no coalescing, no updates opt-out.
    told += await enqueueForEvents(tx, required, { now, coalesceSeconds: 0, required: true, template: 'delay_notice' });
  }
  for (const l of lapsed) {
    const result = await cancelLinesInTx(tx, {
      orderId: l.orderId,
      lineIds: [l.lineId],
      actor: SYSTEM,
      reason: `The promised date passed without the notice or consent the law requires (${l.why.replaceAll('_', ' ')})`,
      section: l.section,
      vestedOn: l.vestedOn,
      now,
    });
    if (result.ok) told += result.customersTold;
  }
  return { moved: updates.length + lapsed.length, told, notices, cancelled: lapsed.length, lastId: Math.max(...picked.map((p) => p.id)) };
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
  if (window.eta.to !== null && window.eta.to < toCalendarDate(now, settings.timeZone)) return { ok: false, reason: 'date_in_past' };
  await db
    .update(products)
    .set({ etaFrom: window.eta.from, etaTo: window.eta.to, etaReason: reason, updatedAt: now })
    .where(eq(products.id, product.id));

  const chunkSize = options.chunkSize ?? 1000;
  let linesMoved = 0;
  let customersTold = 0;
  let notices = 0;
  let cancelled = 0;
  let afterId = 0;
  for (;;) {
    const chunk = await db.transaction((tx) =>
      moveChunk(tx, { kind: 'sku', sku: input.sku, afterId }, window.eta, reason, input.actor, now, chunkSize, settings),
    );
    if (chunk.lastId === 0) break;
    afterId = chunk.lastId;
    linesMoved += chunk.moved;
    customersTold += chunk.told;
    notices += chunk.notices;
    cancelled += chunk.cancelled;
    options.onProgress?.(linesMoved);
    // Let waiting requests run between chunks (PGlite shares this thread).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ok: true, linesMoved, customersTold, notices, cancelled };
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
  return db.transaction(async (tx): Promise<MoveEtaResult> => {
    const [line] = await tx
      .select({ id: orderLines.id, status: orderLines.status })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(and(eq(orders.number, input.orderNumber), eq(orderLines.lineNo, input.lineNo)));
    if (!line) return { ok: false, reason: 'not_found' };
    if (line.status !== 'waiting' && line.status !== 'ready') return { ok: false, reason: 'not_open' };
    const settings = await loadStoreSettings(tx);
    if (window.eta.to !== null && window.eta.to < toCalendarDate(now, settings.timeZone)) return { ok: false, reason: 'date_in_past' };
    const chunk = await moveChunk(tx, { kind: 'line', lineId: line.id }, window.eta, reason, input.actor, now, 1, settings);
    return { ok: true, linesMoved: chunk.moved, customersTold: chunk.told, notices: chunk.notices, cancelled: chunk.cancelled };
  });
}

/**
 * The sweep's use: a line reached T unshipped with no notice sent while its ETA says later — send the first delay
 * option notice now, in the caller's transaction, against the ETA it already has (435.2(b)(1): "in no event later
 * than said applicable time").
 */
export async function sendDueNoticeInTx(tx: Tx, lineId: number, eta: EtaWindow, reason: string, now: Date, settings: StoreSettings) {
  return moveChunk(tx, { kind: 'line', lineId, sameEta: true }, eta, reason, SYSTEM, now, 1, settings);
}
