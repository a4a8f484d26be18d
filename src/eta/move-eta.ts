// Use cases: move the ETA window of one line, or of every open line of a SKU (set-based, in chunks).
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '#db/client.ts';
import { isEmbedded, rowsOf } from '#db/client.ts';
import { openStatus } from '#db/line-status-sql.ts';
import { executePrepared } from '#db/prepared-statement.ts';
import { retryOnConflict } from '#db/retry-on-conflict.ts';
import { type LineCompliance, orderLines, orders, products } from '#db/schema/index.ts';
import { addDays, startOfDayInstant, toCalendarDate } from '#src/domain/calendar-date.ts';
import { type EtaWindow, makeEtaWindow } from '#src/domain/eta-window.ts';
import { type EventData, eventData, type ValidatedEventData } from '#src/domain/events.ts';
import { classifyDelay, noticeRecord } from '#src/domain/ftc-rule.ts';
import { isOpen, type LineStatus } from '#src/domain/line-status.ts';
import { type Actor, SYSTEM } from '../commands/actor.ts';
import { projectCompliance, type RuleRow, ruleStateOf } from '../compliance/line-compliance.ts';
import { outboxCtes } from '../messages/enqueue-notifications.ts';
import { cancelLinesInTx } from '../refunds/cancel-lines.ts';
import { loadStoreSettings, type StoreSettings } from '../store/store-settings.ts';

export type MoveEtaResult =
  /** `notices`: delay option notices sent (435.2(b)); `cancelled`: lines that had already lapsed and were cancelled. */
  | { ok: true; linesMoved: number; customersTold: number; notices: number; cancelled: number }
  | { ok: false; reason: 'not_found' | 'invalid_date' | 'from_after_to' | 'reason_required' | 'not_open' | 'date_in_past' };

/** `sameEta`: the sweep re-examines a line whose ETA did not move (its T arrived with no notice sent). */
/** A SKU is walked by id (`afterId`), so each chunk starts where the last ended instead of re-scanning moved lines. */
type Target = { kind: 'sku'; sku: string; afterId: number; upTo: number } | { kind: 'line'; lineId: number; sameEta?: boolean };

/**
 * `lastId`: where the next read of a SKU starts (before any line skipped because it changed while being moved).
 * `learned`: the classified rule states the chunk wrote, which later chunks of the same move can write without reading.
 */
type ChunkResult = {
  moved: number;
  /** Orders whose customer this chunk queued a message for: a move counts each once, however its lines fell. */
  toldOrders: number[];
  notices: number;
  cancelled: number;
  lastId: number;
  learned: GroupWrite[];
};

/** Lines of a chunk that share everything the rule looks at, so one classification covers them all. */
type Group = {
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
type GroupWrite = {
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
type Lines =
  | { kind: 'ids'; ids: number[]; oneEventPerOrder: boolean }
  | { kind: 'next'; sku: string; afterId: number; upTo: number; limit: number };

/** `picked`: lines the write took; `lastId`: the highest of them; `moved`: those in a classified state it moved. */
type WriteResult = { picked: number; lastId: number; moved: number; notices: number; toldOrders: number[] };

/** Rule states a move remembers; each is a row every later write of the move carries and matches lines against. */
const MAX_KNOWN_STATES = 32;

/** The key of a rule state, as the update matches it. */
const stateKey = (w: GroupWrite) => JSON.stringify([w.status, w.applicable_time, w.old_compliance, w.old_from, w.old_to]);

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
async function moveLine(
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
async function readGroups(q: Queryable, target: Target, eta: EtaWindow, limit: number): Promise<Group[]> {
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
async function applyGroups(
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
async function writeGroups(
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

/**
 * 435.2(b)(1): a notice goes out "in no event later than" the date the line is covered to now (T, or the date the
 * customer last agreed to); the end of that day in the store's zone is its deadline, which quiet hours must not pass.
 */
function sendByOf(row: RuleRow, today: string, settings: StoreSettings): string | null {
  const { shipBy } = projectCompliance(row, today);
  return shipBy === null ? null : startOfDayInstant(addDays(shipBy, 1), settings.timeZone).toISOString();
}

function parseWindow(
  from: string | null,
  to: string | null,
): { ok: true; eta: EtaWindow } | { ok: false; reason: 'invalid_date' | 'from_after_to' } {
  const parsed = makeEtaWindow(from, to);
  return parsed.ok ? { ok: true, eta: parsed.window } : parsed;
}

/** What a SKU move has done so far: the counts of its result. */
export type MoveProgress = { linesMoved: number; customersTold: number; notices: number; cancelled: number };

export type MoveSkuEtaInput = { sku: string; from: string | null; to: string | null; reason: string; actor: Actor };
export type MoveSkuOptions = {
  now?: Date;
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
    const lines: Lines = { kind: 'next', sku: input.sku, afterId, upTo, limit };
    const writes = [...known.values()];
    return embedded
      ? writeGroups(db, lines, writes, window.eta, input.actor, now, settings)
      : retryOnConflict(() => db.transaction((tx) => writeGroups(tx, lines, writes, window.eta, input.actor, now, settings)));
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
      const groups = await readGroups(db, { kind: 'sku', sku: input.sku, afterId, upTo }, window.eta, sizer.size);
      const readMs = performance.now() - started;
      if (groups.length === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
      started = performance.now();
      const chunk = await retryOnConflict(() =>
        db.transaction((tx) => applyGroups(tx, groups, window.eta, reason, input.actor, now, settings)),
      );
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
      await db.execute(sql`select min(id) as lo, max(id) as hi from order_lines where sku = ${input.sku} and ${openStatus()}`),
    );
    const lo = Number(range?.lo ?? 0);
    const hi = Number(range?.hi ?? 0);
    const step = Math.ceil((hi - lo + 1) / lanes);
    // Each lane ends where an order's lines of the SKU end, as a chunk does (`nextLinesOfSku`).
    const bounds = [lo - 1];
    for (let i = 1; i < lanes; i++) {
      bounds.push(Math.max(bounds[i - 1] as number, await endOfOrderAt(db, input.sku, lo - 1 + i * step)));
    }
    bounds.push(2_147_483_647);
    // Every lane finishes (or fails) before the caller hears of a failure, so nothing is still moving when it does.
    const results = await Promise.allSettled(Array.from({ length: lanes }, (_, i) => walk(bounds[i] as number, bounds[i + 1] as number)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return { ok: true, linesMoved, customersTold: told.size, notices, cancelled };
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
    if (!isOpen(line.status)) return { ok: false, reason: 'not_open' };
    const settings = await loadStoreSettings(tx);
    if (window.eta.to !== null && window.eta.to < toCalendarDate(now, settings.timeZone)) return { ok: false, reason: 'date_in_past' };
    const chunk = await moveLine(tx, { kind: 'line', lineId: line.id }, window.eta, reason, input.actor, now, settings);
    return {
      ok: true,
      linesMoved: chunk.moved,
      customersTold: new Set(chunk.toldOrders).size,
      notices: chunk.notices,
      cancelled: chunk.cancelled,
    };
  });
}

/**
 * An order upsert's use: move one open line to `eta` in the caller's transaction, classified like any move (no
 * notice, an optional update, a delay option notice, or cancellation of a lapsed line). `sameEta` classifies a line
 * already at `eta` (a new line whose ETA is after its T needs its first notice now, 435.2(b)(1)).
 */
export async function moveLineEtaInTx(
  tx: Tx,
  lineId: number,
  eta: EtaWindow,
  input: { reason: string; actor: Actor; sameEta?: boolean },
  now: Date,
  settings: StoreSettings,
): Promise<{ moved: number; notices: number; cancelled: number; toldOrders: number[] }> {
  const chunk = await moveLine(
    tx,
    { kind: 'line', lineId, sameEta: input.sameEta === true },
    eta,
    input.reason,
    input.actor,
    now,
    settings,
  );
  return { moved: chunk.moved, notices: chunk.notices, cancelled: chunk.cancelled, toldOrders: chunk.toldOrders };
}

/**
 * The sweep's use: a line reached T unshipped with no notice sent while its ETA says later — send the first delay
 * option notice now, in the caller's transaction, against the ETA it already has (435.2(b)(1): "in no event later
 * than said applicable time").
 */
export async function sendDueNoticeInTx(tx: Tx, lineId: number, eta: EtaWindow, reason: string, now: Date, settings: StoreSettings) {
  return moveLine(tx, { kind: 'line', lineId, sameEta: true }, eta, reason, SYSTEM, now, settings);
}
