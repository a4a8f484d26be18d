// Writes the outbox rows an event causes, inside the caller's transaction: one per recipient and channel, set-based.
import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import type { EventData } from '#src/domain/events.ts';

/** The notice data's key read in SQL below, checked against the event log's schema. */
const SEND_BY = 'sendBy' satisfies keyof EventData<'delay_notice_sent'>;

export type EnqueueOptions = {
  now: Date;
  /** Optional updates wait this long so that several changes to one order become one message. */
  coalesceSeconds: number;
  /** A notice the law requires: sent at once by e-mail, never coalesced into or suppressed by an updates opt-out. */
  required: boolean;
  template: string;
  deadlineAt?: Date | null;
  /** No two of the events share an order: each event is its own message, and the grouping sort is skipped. */
  oneEventPerOrder?: boolean;
  /**
   * The events were inserted by the same statement, so the messages' keys (derived from the event ids) are new:
   * a required notice then goes in without `ON CONFLICT`, whose speculative insertion costs a check of every unique
   * index per row (decision 019).
   */
  freshEvents?: boolean;
};

/**
 * The common table expressions that queue messages for the events `source` yields (a select of `id`, `order_id` and
 * `data`), named `<name>_src`, `<name>_email` and `<name>_sms`, so that a use case can queue in the same statement
 * that writes the events (a SKU fan-out does, once per chunk: PGlite pays a fixed cost per statement). E-mail goes to
 * every customer (suppressed rows record why not); SMS only to customers with recorded consent for their current
 * number. Optional updates for an order that already has one waiting merge into it (the `notifications_coalesce_idx`
 * conflict), so the customer gets one message. `<name>_email` returns the `order_id` of every queued e-mail.
 */
export function outboxCtes(name: string, source: SQL, opts: EnqueueOptions): SQL {
  const dueAt = new Date(opts.now.getTime() + (opts.required ? 0 : opts.coalesceSeconds * 1000)).toISOString();
  const history = JSON.stringify([{ at: opts.now.toISOString(), status: 'queued' }]);
  const conflict = opts.required
    ? opts.freshEvents === true
      ? sql``
      : sql`on conflict do nothing`
    : sql`on conflict (order_id, channel) where status = 'queued' and not required
          do update set payload = jsonb_build_object('events', (notifications.payload->'events') || (excluded.payload->'events')),
                        updated_at = excluded.updated_at`;
  const deadline = opts.deadlineAt ? opts.deadlineAt.toISOString() : null;
  // Several events of one order become one message; the aggregation costs a sort, which a SKU fan-out can skip.
  const grouped = opts.oneEventPerOrder !== true;
  const eventId = grouped ? sql`min(e.id)` : sql`e.id`;
  const eventIds = grouped ? sql`jsonb_agg(e.id order by e.id)` : sql`jsonb_build_array(e.id)`;
  // A notice event may say by when it must go out (`sendBy`): the message keeps the earliest as its deadline.
  const sendByKey = sql.raw(`'${SEND_BY}'`);
  const sendBy = grouped ? sql`min((e.data->>${sendByKey})::timestamptz)` : sql`(e.data->>${sendByKey})::timestamptz`;
  const deadlineAt = sql`coalesce(${deadline}::timestamptz, ${sendBy})`;
  const src = sql.raw(`${name}_src`);
  const email = sql.raw(`${name}_email`);
  const sms = sql.raw(`${name}_sms`);

  // `_src` reads each event's customer once, driven by the events: left to itself the planner walked every
  // consenting customer for the SMS half, once per chunk of a fan-out (decision 015).
  return sql`
    ${src} as materialized (
    select e.id, e.order_id, e.data, c.id as customer_id, c.email, c.phone, c.locale, c.updates_opted_out_at, c.sms_opted_out_at,
           c.phone is not null and c.sms_consent_at is not null and c.sms_consent_phone = c.phone as sms_ok
    from (${source}) e
    join orders o on o.id = e.order_id
    join customers c on c.id = o.customer_id
    ), ${email} as (
    insert into notifications (event_id, order_id, customer_id, channel, recipient, template, locale, required, status,
                               dedupe_key, due_at, deadline_at, last_error, payload, history, created_at, updated_at)
    select ${eventId}, e.order_id, e.customer_id, 'email', e.email, ${opts.template}, e.locale, ${opts.required},
           case when s.address is not null or (not ${opts.required} and e.updates_opted_out_at is not null) then 'suppressed' else 'queued' end,
           'email:' || ${eventId}, ${dueAt}::timestamptz, ${deadlineAt},
           case when s.address is not null then 'suppressed: ' || s.reason
                when not ${opts.required} and e.updates_opted_out_at is not null then 'suppressed: unsubscribed from updates' end,
           jsonb_build_object('events', ${eventIds}), ${history}::jsonb, ${opts.now.toISOString()}::timestamptz, ${opts.now.toISOString()}::timestamptz
    from ${src} e
    left join suppressions s on s.channel = 'email' and s.address = e.email
    ${grouped ? sql`group by e.order_id, e.customer_id, e.email, e.locale, e.updates_opted_out_at, s.address, s.reason` : sql``}
    ${conflict}
    returning order_id
    ), ${sms} as (
    insert into notifications (event_id, order_id, customer_id, channel, recipient, template, locale, required, status,
                               dedupe_key, due_at, deadline_at, last_error, payload, history, created_at, updated_at)
    select ${eventId}, e.order_id, e.customer_id, 'sms', e.phone, ${opts.template}, e.locale, ${opts.required},
           case when e.sms_opted_out_at is not null or s.address is not null or (not ${opts.required} and e.updates_opted_out_at is not null)
                then 'suppressed' else 'queued' end,
           'sms:' || ${eventId}, ${dueAt}::timestamptz, ${deadlineAt},
           case when e.sms_opted_out_at is not null or s.address is not null then 'suppressed: opted out of SMS'
                when not ${opts.required} and e.updates_opted_out_at is not null then 'suppressed: unsubscribed from updates' end,
           jsonb_build_object('events', ${eventIds}), ${history}::jsonb, ${opts.now.toISOString()}::timestamptz, ${opts.now.toISOString()}::timestamptz
    from ${src} e
    left join suppressions s on s.channel = 'sms' and s.address = e.phone
    where e.sms_ok
    ${grouped ? sql`group by e.order_id, e.customer_id, e.phone, e.locale, e.updates_opted_out_at, e.sms_opted_out_at, s.address` : sql``}
    ${conflict}
    returning 1
    )`;
}

/**
 * Queues messages for the given events (see `outboxCtes`). Returns how many customers will be told (distinct orders
 * with a queued message).
 */
export async function enqueueForEvents(tx: Queryable, ids: number[], opts: EnqueueOptions): Promise<number> {
  if (ids.length === 0) return 0;
  const told = await tx.execute(sql`
    with ${outboxCtes('q', sql`select id, order_id, data from events where id = any(${`{${ids.join(',')}}`}::bigint[])`, opts)}
    select count(distinct order_id)::int as n from q_email`);
  return Number(rowsOf<{ n: number }>(told)[0]?.n ?? 0);
}
