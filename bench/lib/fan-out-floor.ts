// The fan-out's floor: the rows a notice move writes (line versions, events, messages), written again by one bare
// set-based statement per 10,000 lines, with none of the move's own work (reading and classifying rule states,
// matching each line's state, grouping messages by order, chunks sized for waiting requests, lookups meanwhile).
// Read a move's time against it: what the move adds on top is the part its code can still win back.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { isEmbedded, rowsOf } from '#db/client.ts';
import { openStatus } from '#db/line-status-sql.ts';
import { addDays } from '#src/domain/calendar-date.ts';

const SLICE = 10_000;

export type FloorResult = { seconds: number; lines: number; events: number; notifications: number };

/**
 * Writes, for every open line of `sku` (already moved by a notice move, so its event and compliance are real), a
 * new line version one day later, one `delay_notice_sent` event with that move's data, and an e-mail for every
 * customer plus an SMS for those with consent: the rows of a notice move. PostgreSQL runs `lanes` slices at once,
 * as the move does; PGlite one.
 */
export async function writeFloor(db: Db, sku: string, now: Date, lanes: number): Promise<FloorResult> {
  const [sample] = rowsOf<{ data: unknown; compliance: unknown; eta_from: string; eta_to: string; ship_by: string | null }>(
    await db.execute(sql`
      select e.data, l.compliance, l.eta_from::text as eta_from, l.eta_to::text as eta_to, l.ship_by::text as ship_by
      from order_lines l join events e on e.line_id = l.id and e.type = 'delay_notice_sent'
      where l.sku = ${sku} and ${openStatus('l.status')} order by l.id limit 1`),
  );
  if (!sample) throw new Error(`no moved line of ${sku} to copy`);
  const [range] = rowsOf<{ lo: number; hi: number }>(
    await db.execute(sql`select min(id) as lo, max(id) as hi from order_lines where sku = ${sku} and ${openStatus()}`),
  );
  const lo = Number(range?.lo ?? 0);
  const hi = Number(range?.hi ?? 0);
  const from = addDays(sample.eta_from, 1);
  const to = addDays(sample.eta_to, 1);
  const shipBy = sample.ship_by === null ? null : addDays(sample.ship_by, 1);
  const nowIso = now.toISOString();
  const history = JSON.stringify([{ at: nowIso, status: 'queued' }]);
  const slices: [number, number][] = [];
  for (let start = lo - 1; start < hi; start += SLICE) slices.push([start, Math.min(hi, start + SLICE)]);

  /** One required message per `src` row on `channel` to the `recipient` column, for those matching `where`. */
  const messages = (channel: 'email' | 'sms', recipient: SQL, where: SQL) => sql`
            insert into notifications (event_id, order_id, customer_id, channel, recipient, template, locale, required, status,
                                       dedupe_key, due_at, deadline_at, payload, history, created_at, updated_at)
            select id, order_id, customer_id, ${channel}::text, ${recipient}, 'delay_notice', locale, true, 'queued', ${channel}::text || ':' || id,
                   ${nowIso}::timestamptz, ${nowIso}::timestamptz, jsonb_build_object('events', jsonb_build_array(id)), ${history}::jsonb,
                   ${nowIso}::timestamptz, ${nowIso}::timestamptz
            from src where ${where}
            returning 1`;

  const writeSlice = async ([after, upTo]: [number, number]) => {
    const run = async (q: Db) =>
      rowsOf<{ lines: number; events: number; notifications: number }>(
        await q.execute(sql`
          with moved as (
            update order_lines
            set eta_from = ${from}::date, eta_to = ${to}::date, version = version + 1, compliance = ${JSON.stringify(sample.compliance)}::jsonb,
                ship_by = ${shipBy}::date, check_by = least(check_by, ${shipBy}::date), awaiting_consent = false, updated_at = ${nowIso}::timestamptz
            where sku = ${sku} and ${openStatus()} and id > ${after} and id <= ${upTo}
            returning id, order_id, version
          ), ev as (
            insert into events (order_id, line_id, type, rule_section, data, dedupe_key, actor_type, actor_id, occurred_at)
            select order_id, id, 'delay_notice_sent', '435.2(b)(1)', ${JSON.stringify(sample.data)}::jsonb, 'floor:' || id || ':v' || version,
                   'staff', 'bench', ${nowIso}::timestamptz
            from moved
            returning id, order_id
          ), src as materialized (
            select e.id, e.order_id, c.id as customer_id, c.email, c.phone, c.locale,
                   c.phone is not null and c.sms_consent_at is not null and c.sms_consent_phone = c.phone as sms_ok
            from ev e join orders o on o.id = e.order_id join customers c on c.id = o.customer_id
          ), email as (${messages('email', sql`email`, sql`true`)}
          ), text as (${messages('sms', sql`phone`, sql`sms_ok`)}
          )
          select (select count(*)::int from moved) as lines, (select count(*)::int from ev) as events,
                 (select count(*)::int from email)::int + (select count(*)::int from text)::int as notifications`),
      )[0];
    // One transaction per slice, as the move's PostgreSQL chunks are, with their `work_mem` (PGlite's chunks are too
    // small to need it; a 10,000-line slice there would otherwise spill its common table expressions to disk).
    return db.transaction(async (tx) => {
      await tx.execute(sql`set local work_mem = '32MB'`);
      return run(tx as unknown as Db);
    });
  };

  const totals = { lines: 0, events: 0, notifications: 0 };
  const queue = [...slices];
  const t = performance.now();
  await Promise.all(
    Array.from({ length: isEmbedded(db) ? 1 : lanes }, async () => {
      for (let slice = queue.shift(); slice; slice = queue.shift()) {
        const r = await writeSlice(slice);
        totals.lines += Number(r?.lines ?? 0);
        totals.events += Number(r?.events ?? 0);
        totals.notifications += Number(r?.notifications ?? 0);
      }
    }),
  );
  return { seconds: (performance.now() - t) / 1000, ...totals };
}
