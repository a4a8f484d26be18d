// The SQL of an ETA move: read a chunk of lines grouped by rule state, classify each group once by the FTC rule, and
// write the lines, their events and their messages set-based. Used for one line (in its caller's transaction) and for
// each chunk of a SKU move (`move-sku-lines-in-chunks.ts` decides which lines and when).
import { type SQL, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '#db/client.ts';
import { isEmbedded, rowsOf } from '#db/client.ts';
import { openStatus } from '#db/line-status-sql.ts';
import { executePrepared } from '#db/prepared-statement.ts';
import type { LineCompliance } from '#db/schema/index.ts';
import { addDays, startOfDayInstant, toCalendarDate } from '#src/domain/calendar-date.ts';
import type { EtaWindow } from '#src/domain/eta-window.ts';
import { type EventData, eventData, type ValidatedEventData } from '#src/domain/events.ts';
import { classifyDelay, noticeRecord } from '#src/domain/ftc-rule.ts';
import type { LineStatus } from '#src/domain/line-status.ts';
import { type Actor, SYSTEM } from '../commands/actor.ts';
import { projectCompliance, type RuleRow, ruleStateOf } from '../compliance/line-compliance.ts';
import { outboxCtes } from '../messages/enqueue-notifications.ts';
import { cancelLinesInTx } from '../refunds/cancel-lines.ts';
import type { StoreSettings } from '../store/store-settings.ts';

/** `sameEta`: the sweep re-examines a line whose ETA did not move (its T arrived with no notice sent). */
/** A SKU is walked by id (`afterId`), so each chunk starts where the last ended instead of re-scanning moved lines. */
export type Target = { kind: 'sku'; sku: string; afterId: number; upTo: number } | { kind: 'line'; lineId: number; sameEta?: boolean };

/**
 * `lastId`: where the next read of a SKU starts (before any line skipped because it changed while being moved).
 * `learned`: the classified rule states the chunk wrote, which later chunks of the same move can write without reading.
 */
export type ChunkResult = {
  moved: number;
  /** Orders whose customer this chunk queued a message for: a move counts each once, however its lines fell. */
  toldOrders: number[];
  notices: number;
  cancelled: number;
  lastId: number;
  learned: GroupWrite[];
};

/** Lines of a chunk that share everything the rule looks at, so one classification covers them all. */
export type Group = {
  status: LineStatus;
  applicable_time: string;
  compliance: LineCompliance;
  eta_from: string | null;
  eta_to: string | null;
  ids: number[];
  order_ids: number[];
};

/**
 * What a move does to every line in one rule state: the old state (matched again by the update, so a line that
 * changed since it was classified is left alone), the new state, and the events it causes.
 */
export type GroupWrite = {
  status: LineStatus;
  applicable_time: string;
  old_compliance: LineCompliance;
  old_from: string | null;
  old_to: string | null;
  compliance: LineCompliance;
  ship_by: string | null;
  awaiting: boolean;
  /**
   * The `eta_changed` event's data, when the move sends no notice (the change is then an optional update). Validated
   * here, once for every line of the group: the chunk statement copies it into each line's event (decision 036).
   */
  changed: ValidatedEventData | null;
  /** The `delay_notice_sent` event's data, validated as `changed`; when the ETA moved it carries the change (decision 018). */
  noticed: ValidatedEventData | null;
  section: string | null;
};

/**
 * Which lines a write takes: those a read found and classified (`ids`), or the next open lines of a SKU that are not
 * at the new ETA yet (`next`, decision 019), of which it moves those in a rule state already classified.
 */
export type Lines =
  | { kind: 'ids'; ids: number[]; oneEventPerOrder: boolean }
  | { kind: 'next'; sku: string; afterId: number; upTo: number; limit: number };

/** `picked`: lines the write took; `lastId`: the highest of them; `moved`: those in a classified state it moved. */
export type WriteResult = { picked: number; lastId: number; moved: number; notices: number; toldOrders: number[] };

/**
 * The ids of the SKU's next open lines in (afterId, upTo] that are not at `eta` yet, in (sku, id) order: `limit` of
 * them, and then every line right after them that belongs to the last one's order, however many (decision 025). An
 * order's lines of one SKU are usually next to each other, and a chunk that ended between them would send the customer
 * one delay notice per chunk: a required notice is never coalesced. Those lines end before `stop`, the SKU's next such
 * line of another order, so finding them costs one index step per line of the last order, set-based. Bounds on (sku, id) alone, and
 * that order: only the (sku, id) index serves them, so one generic plan walks the SKU's own lines from `afterId`;
 * given `id > …`, it walked the primary key through every other SKU's lines instead.
 */
function nextLinesOfSku(sku: string, afterId: number, upTo: number, limit: number, eta: EtaWindow): SQL {
  const open = sql`${openStatus()} and (eta_from is distinct from ${eta.from}::date or eta_to is distinct from ${eta.to}::date)`;
  return sql`
    with head as (
      select id, order_id from order_lines
      where (sku, id) > (${sku}, ${afterId}) and (sku, id) <= (${sku}, ${upTo}) and ${open}
      order by sku, id limit ${limit}
    ), last as (
      select id, order_id from head order by id desc limit 1
    ), stop as (
      select coalesce((
        select id from order_lines
        where (sku, id) > (${sku}, (select id from last)) and (sku, id) <= (${sku}, ${upTo}) and ${open}
          and order_id <> (select order_id from last)
        order by sku, id limit 1), ${upTo}::bigint + 1) as id
    )
    select id from head
    union all
    select id from order_lines
    where (sku, id) > (${sku}, (select id from last)) and (sku, id) < (${sku}, (select id from stop)) and ${open}`;
}

/**
 * Moves one line to `eta` in the caller's transaction, locked as it is read: the same read and write as a SKU's chunk
 * (`readGroups`, `applyGroups`), for a single line.
 */
export async function moveLineInTx(
  tx: Tx,
  target: Extract<Target, { kind: 'line' }>,
  eta: EtaWindow,
  reason: string,
  actor: Actor,
  now: Date,
  settings: StoreSettings,
): Promise<ChunkResult> {
  const groups = await readGroups(tx, target, eta, 1);
  return applyGroups(tx, groups, eta, reason, actor, now, settings);
}

/**
 * The target's next open lines not yet at `eta`, grouped by rule state. A single line is locked for its caller's
 * transaction; a SKU's lines are not: the write matches each line's state again under its row lock.
 */
export async function readGroups(q: Queryable, target: Target, eta: EtaWindow, limit: number): Promise<Group[]> {
  const where =
    target.kind === 'sku'
      ? sql`id = any(array(${nextLinesOfSku(target.sku, target.afterId, target.upTo, limit, eta)}))`
      : sql`id = ${target.lineId}`;
  return rowsOf<Group>(
    await q.execute(sql`
      select status, applicable_time::text as applicable_time, compliance, eta_from::text as eta_from, eta_to::text as eta_to,
             array_agg(id order by id) as ids, array_agg(order_id order by id) as order_ids
      from (
        select id, order_id, status, applicable_time, compliance, eta_from, eta_to
        from order_lines
        where ${where} and ${openStatus()}
          and (${target.kind === 'line' && target.sameEta === true} or eta_from is distinct from ${eta.from}::date or eta_to is distinct from ${eta.to}::date)
        order by id ${target.kind === 'line' ? sql`limit 1 for update` : sql``}
      ) picked
      group by status, applicable_time, compliance, eta_from, eta_to`),
  );
}

/**
 * Classifies each group read by `readGroups` and writes it. A SKU's lines share a handful of rule states (status, T,
 * notices and answers, old ETA), so the FTC rule classifies each group once and every group is written by one
 * set-based statement. A group needs no notice (an optional update, coalesced), a delay option notice (required,
 * sent at once: 435.2(b)), or is already lapsed (cancelled and refunded now: 435.2(c)). Everything is written in the
 * caller's transaction; events are deduplicated by the line's new version.
 */
export async function applyGroups(
  tx: Tx,
  groups: Group[],
  eta: EtaWindow,
  reason: string,
  actor: Actor,
  now: Date,
  settings: StoreSettings,
): Promise<ChunkResult> {
  const today = toCalendarDate(now, settings.timeZone);
  if (groups.length === 0) return { moved: 0, toldOrders: [], notices: 0, cancelled: 0, lastId: 0, learned: [] };

  let retry = false;
  const firstId = Math.min(...groups.flatMap((g) => g.ids.map(Number)));
  let moved = 0;
  let cancelled = 0;
  const toldOrders: number[] = [];
  let lastId = 0;
  const writes: GroupWrite[] = [];
  const toWrite: number[] = [];
  const orderIds: number[] = [];
  for (const g of groups) {
    const ids = g.ids.map(Number);
    lastId = Math.max(lastId, ...ids);
    const c = classifyDelay(
      ruleStateOf({ applicableTime: g.applicable_time, status: g.status, compliance: g.compliance }),
      { revisedDate: eta.to, reason },
      today,
    );
    if (c.action === 'invalid_eta') throw new Error(`invalid ETA for lines ${ids.join(', ')}: ${c.why}`);
    if (c.action === 'cancel_now') {
      // Lock the group and keep only lines still in the state that was classified: one that changed since it was
      // read (an answer recorded, a shipment) is read again by the next chunk instead of cancelled on stale facts.
      const still = new Set(
        rowsOf<{ id: number }>(
          await tx.execute(sql`
            select id from order_lines
            where id = any(${`{${ids.join(',')}}`}::int[]) and status = ${g.status} and applicable_time = ${g.applicable_time}::date
              and compliance = ${JSON.stringify(g.compliance)}::jsonb
            for update`),
        ).map((r) => Number(r.id)),
      );
      if (still.size < ids.length) retry = true;
      const groupOrderIds = g.order_ids.map(Number);
      for (const [i, lineId] of ids.entries()) {
        if (!still.has(lineId)) continue;
        const result = await cancelLinesInTx(tx, {
          orderId: groupOrderIds[i] as number,
          lineIds: [lineId],
          actor: SYSTEM,
          reason: `The promised date passed without the notice or consent the law requires (${c.why.replaceAll('_', ' ')})`,
          section: c.section,
          vestedOn: c.vestedOn,
          now,
        });
        // Refused (nothing open to cancel after all): left as it is, not read again, so the walk cannot loop.
        if (!result.ok) continue;
        if (result.customersTold > 0) toldOrders.push(groupOrderIds[i] as number);
        moved += 1;
        cancelled += 1;
      }
      continue;
    }
    const write = groupWrite(g, c, eta, reason, today, settings);
    if (!write) continue;
    writes.push(write);
    toWrite.push(...ids);
    orderIds.push(...g.order_ids.map(Number));
  }
  let notices = 0;
  if (writes.length > 0) {
    // Each line causes at most one message of each kind (an update or a notice), so when no two lines share an order,
    // no two events of a kind do either, and the outbox insert can skip grouping by order.
    const oneEventPerOrder = new Set(orderIds).size === orderIds.length;
    const result = await writeGroups(tx, { kind: 'ids', ids: toWrite, oneEventPerOrder }, writes, eta, actor, now, settings);
    moved += result.moved;
    notices = result.notices;
    toldOrders.push(...result.toldOrders);
    if (result.moved < toWrite.length) retry = true;
  }
  // Lines skipped because they changed under us: start the next read before them.
  return { moved, toldOrders, notices, cancelled, lastId: retry ? firstId - 1 : lastId, learned: writes };
}

/** The write for one group of lines, or null when nothing changes for them (the sweep found no notice due). */
function groupWrite(
  g: Group,
  c: Exclude<ReturnType<typeof classifyDelay>, { action: 'invalid_eta' | 'cancel_now' }>,
  eta: EtaWindow,
  reason: string,
  today: string,
  settings: StoreSettings,
): GroupWrite | null {
  const row = { applicableTime: g.applicable_time, status: g.status, compliance: g.compliance };
  const from = { from: g.eta_from, to: g.eta_to };
  const etaMoved = from.from !== eta.from || from.to !== eta.to;
  const notice = noticeRecord(c, today);
  if (!etaMoved && !notice) return null;
  const compliance: LineCompliance = notice ? { ...g.compliance, notices: [...g.compliance.notices, notice] } : g.compliance;
  const projected = projectCompliance({ ...row, compliance }, today);
  const change: EventData<'eta_changed'> = { from, to: eta, reason, classification: c.action };
  return {
    status: g.status,
    applicable_time: g.applicable_time,
    old_compliance: g.compliance,
    old_from: g.eta_from,
    old_to: g.eta_to,
    compliance,
    ship_by: projected.shipBy,
    awaiting: projected.awaitingConsent,
    // A move that sends a notice is one event, the notice, which carries the change (`changed`): the timeline tells
    // both from it, and a fan-out writes one event per line instead of two (decision 018).
    changed: etaMoved && !notice ? eventData('eta_changed', change) : null,
    noticed:
      notice && c.action !== 'no_notice'
        ? eventData('delay_notice_sent', {
            ...notice,
            action: c.action,
            noticeIndex: compliance.notices.length - 1,
            sendBy: sendByOf(row, today, settings),
            ...(etaMoved ? { changed: change } : {}),
          })
        : null,
    section: 'section' in c ? c.section : null,
  };
}

/**
 * One statement for the lines, their events and their messages (PGlite pays a fixed cost per statement). The update
 * matches each line's rule state against the groups', so a line changed since it was classified (a customer's
 * consent, say) is left out here and read again instead of being moved on stale facts. Only the kinds of message the
 * groups can cause are queued: every common table expression costs planning time.
 */
export async function writeGroups(
  q: Queryable,
  lines: Lines,
  writes: GroupWrite[],
  eta: EtaWindow,
  actor: Actor,
  now: Date,
  settings: StoreSettings,
): Promise<WriteResult> {
  const nowIso = now.toISOString();
  // Several lines of one order in a write are one message per kind; a `next` write cannot know it has none.
  const oneEventPerOrder = lines.kind === 'ids' && lines.oneEventPerOrder;
  const outbox: SQL[] = [];
  const toldFrom: SQL[] = [];
  if (writes.some((w) => w.changed !== null)) {
    const updates = sql`select id, order_id, data from inserted where type = 'eta_changed'`;
    outbox.push(
      outboxCtes('upd', updates, { now, coalesceSeconds: settings.coalesceSeconds, required: false, template: 'update', oneEventPerOrder }),
    );
    toldFrom.push(sql`select order_id from upd_email`);
  }
  if (writes.some((w) => w.noticed !== null)) {
    // 435.2(b)(1): the notice goes without delay; no coalescing, no updates opt-out. Its events are the ones this
    // statement inserts, so its messages' keys are new too (`freshEvents`).
    const noticeEvents = sql`select id, order_id, data from inserted where type = 'delay_notice_sent'`;
    outbox.push(
      outboxCtes('ntc', noticeEvents, {
        now,
        coalesceSeconds: 0,
        required: true,
        template: 'delay_notice',
        oneEventPerOrder,
        freshEvents: true,
      }),
    );
    toldFrom.push(sql`select order_id from ntc_email`);
  }
  // A 10,000-line PostgreSQL chunk sorts ~5 MB of per-line rows: over the default work_mem that sort went to disk
  // (external sort, ~7 MB written per chunk). PostgreSQL runs such writes in a transaction; a PGlite write without
  // one (a statement of its own, `isEmbedded`) has no transaction to set it for, and its chunks stay small.
  if ((lines.kind === 'ids' ? lines.ids.length : lines.limit) > 2000 && !isEmbedded(q)) await q.execute(sql`set local work_mem = '32MB'`);
  const picked =
    lines.kind === 'ids'
      ? sql`select unnest(${`{${lines.ids.join(',')}}`}::int[]) as id`
      : nextLinesOfSku(lines.sku, lines.afterId, lines.upTo, lines.limit, eta);
  const [result] = await executePrepared<WriteResult>(
    q,
    sql`
      with w as (
        select * from jsonb_to_recordset(${JSON.stringify(writes)}::jsonb) as w(
          status text, applicable_time date, old_compliance jsonb, old_from date, old_to date, compliance jsonb,
          ship_by date, awaiting boolean, changed jsonb, noticed jsonb, section text)
      ), picked as (${picked}
      ), moved as (
        update order_lines l
        set eta_from = ${eta.from}::date, eta_to = ${eta.to}::date, version = l.version + 1, compliance = w.compliance,
            -- \`check_by\` stays at or before \`ship_by\` (decision 020): unchanged when a delay moves ship_by later, so the
            -- update writes no index entry and can stay on the page.
            ship_by = w.ship_by, check_by = least(l.check_by, w.ship_by), awaiting_consent = w.awaiting, updated_at = ${nowIso}::timestamptz
        from w
        -- An index probe per line, as for a list of ids: joined to \`picked\` as a table, the planner may read the whole
        -- table instead.
        where l.id = any(array(select id from picked)) and l.status = w.status and l.applicable_time = w.applicable_time and l.compliance = w.old_compliance
          and l.eta_from is not distinct from w.old_from and l.eta_to is not distinct from w.old_to
        returning l.id, l.order_id, l.version, w.changed, w.noticed, w.section
      ), inserted as (
        insert into events (order_id, line_id, type, rule_section, data, dedupe_key, actor_type, actor_id, occurred_at)
        select e.order_id, e.line_id, e.type, e.rule_section, e.data, e.dedupe_key, ${actor.type}, ${actor.id}, ${nowIso}::timestamptz
        from (
          select order_id, id as line_id, 'eta_changed' as type, null as rule_section, changed as data, 'line:' || id || ':v' || version as dedupe_key
          from moved where changed is not null
          union all
          select order_id, id, 'delay_notice_sent', section, noticed, 'notice:' || id || ':v' || version from moved where noticed is not null
        ) e
        -- No ON CONFLICT: the keys carry the version this statement just wrote under the row lock, so they are new,
        -- as in every other use case; a clash would be a bug and aborts the chunk. (Speculative insertion cost a
        -- fifth to a third of this insert: decision 015.)
        returning id, order_id, type, data
      )${outbox.length ? sql`, ${sql.join(outbox, sql`, `)}` : sql``}
      select (select count(*)::int from picked) as picked, (select coalesce(max(id), 0)::int from picked) as "lastId",
             (select count(*)::int from moved) as moved,
             (select count(*)::int from inserted where type = 'delay_notice_sent') as notices,
             ${toldFrom.length ? sql`(select coalesce(array_agg(distinct order_id), '{}')::int[] from (${sql.join(toldFrom, sql` union all `)}) t)` : sql`'{}'::int[]`} as "toldOrders"`,
  );
  return {
    picked: Number(result?.picked ?? 0),
    lastId: Number(result?.lastId ?? 0),
    moved: Number(result?.moved ?? 0),
    notices: Number(result?.notices ?? 0),
    toldOrders: (result?.toldOrders ?? []).map(Number),
  };
}

/**
 * 435.2(b)(1): a notice goes out "in no event later than" the date the line is covered to now (T, or the date the
 * customer last agreed to); the end of that day in the store's zone is its deadline, which quiet hours must not pass.
 */
function sendByOf(row: RuleRow, today: string, settings: StoreSettings): string | null {
  const { shipBy } = projectCompliance(row, today);
  return shipBy === null ? null : startOfDayInstant(addDays(shipBy, 1), settings.timeZone).toISOString();
}
