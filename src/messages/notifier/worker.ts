// The outbox worker: claims due notifications, renders and persists them, sends them paced, records each outcome.
import { createHash } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { customers, type RenderedContent } from '#db/schema/index.ts';
import { hasNoQuietHours, quietHoldUntil } from '#src/domain/quiet-hours.ts';
import { describeError } from '#src/observability/error-summary.ts';
import { loadStoreSettings, type StoreSettings } from '#src/store/store-settings.ts';
import { NO_SMS_PROVIDER } from '../channels/delivery-plan.ts';
import type { EmailChannel, OutgoingEmail, OutgoingSms, SendOutcome, SmsChannel } from '../channels/types.ts';
import { composeMessages } from '../compose.ts';
import { reserveSlot, slotToleranceMs } from './rate-slots.ts';
import { DEFAULT_RETRY, nextRetry, type RetryPolicy } from './retry-policy.ts';

export type NotifierOptions = {
  db: Db;
  email: EmailChannel;
  sms: SmsChannel | null;
  publicUrl: string;
  emailFrom: string | null;
  /** Provider limits, shared by all workers through the database; 0 = unlimited. */
  rates: { emailRequestsPerSecond: number; smsSegmentsPerSecond: number };
  batchSize?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Calls to providers in flight at once, per lane. */
  concurrency?: number;
  /**
   * Claim-and-send passes running at once. Two let one batch be claimed and rendered while the last one is still at
   * the providers (on PostgreSQL that work happens in the server, not on this thread); SKIP LOCKED keeps them apart.
   */
  lanes?: number;
  retry?: RetryPolicy;
  clock?: () => Date;
  log?: (message: string) => void;
  /** Runs once a tick (the FTC sweep joins here). */
  onTick?: (now: Date) => Promise<void>;
  /** Told after every pass (idle ones too) what it did: the log's one line per pass. */
  onPass?: (report: PassReport) => void;
  /**
   * How long a lane may go without finishing a pass or a send before `health()` calls it stalled. Default twice the
   * lease: a busy pass (200 paced SMS) takes minutes, but finishes a send every few seconds.
   */
  stallMs?: number;
};

/** What one pass did: counts only, nothing about whom the messages were for. */
export type PassReport = {
  lane: number | null;
  claimed: number;
  reclaimed: number;
  /** Where the claimed rows stand after the pass, by status ('sending': waiting for a retry or quiet hours). */
  outcomes: Record<string, number>;
  durationMs: number;
};

/** Whether the loop is alive: running, and each lane finished a pass or a send within `stallMs`. */
export type NotifierHealth = {
  running: boolean;
  stallMs: number;
  /** Per lane, milliseconds since it last finished a pass or a send. */
  lanes: number[];
};

type Claimed = {
  id: number;
  order_id: number;
  customer_id: number;
  channel: 'email' | 'sms';
  recipient: string;
  required: boolean;
  dedupe_key: string;
  payload: { events: number[] };
  rendered: RenderedContent | null;
  batch_key: string | null;
  retry_safe: boolean;
  attempts: number;
  first_attempt_at: string | Date;
  segments: number | null;
  /** A notice the law requires by this instant: quiet hours do not hold it past then. */
  deadline_at: string | Date | null;
  /** Came back after its lease ran out: an earlier attempt may have reached the provider. */
  reclaimed?: boolean;
};

const RETURNING = sql`returning id, order_id, customer_id, channel, recipient, required, dedupe_key, payload, rendered, batch_key, retry_safe, attempts, first_attempt_at, segments, deadline_at`;

function normalise(row: Claimed): Claimed {
  return { ...row, id: Number(row.id), payload: row.payload ?? { events: [] } };
}

/** The leases a pass holds on its rows. */
type Lease = {
  /** True while this pass surely still holds the row: its lease runs beyond `now` by the safety margin. */
  holds(id: number, now: Date): boolean;
  /** This pass moved the row's lease itself, to `until`. */
  moved(id: number, until: Date): void;
  stop(): Promise<void>;
};

export type Notifier = {
  /** One pass: claim, send, record. Returns how many rows it handled. */
  tick(): Promise<number>;
  start(): void;
  /** Stops claiming and waits for the sends in flight to be recorded. */
  stop(): Promise<void>;
  health(): NotifierHealth;
};

export function createNotifier(options: NotifierOptions): Notifier {
  const { db } = options;
  const clock = options.clock ?? (() => new Date());
  const batchSize = options.batchSize ?? 200;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 200;
  const concurrency = options.concurrency ?? 8;
  const lanes = options.lanes ?? 2;
  const retry = options.retry ?? DEFAULT_RETRY;
  /**
   * How much of a lease must be left for a send to start: a pass whose thread stalled (so its leases were not
   * renewed) may have lost rows to another worker, which would send them too. A quarter of the lease also covers
   * clock differences between workers.
   */
  const leaseMargin = Math.floor(leaseMs / 4);
  const log = options.log ?? (() => {});
  const stallMs = options.stallMs ?? 2 * leaseMs;
  /** Per lane, when it last finished a pass or a send (monotonic time: wall-clock jumps and test clocks aside). */
  let beats: number[] = [];
  let running: Promise<void> | null = null;
  let stopping = false;
  const wakers = new Set<() => void>();

  const iso = (d: Date) => d.toISOString();
  const step = (now: Date, status: string, detail?: string) =>
    JSON.stringify([{ at: iso(now), status, ...(detail ? { detail: detail.slice(0, 500) } : {}) }]);

  async function claimFresh(now: Date): Promise<Claimed[]> {
    const result = await db.execute(sql`
      update notifications set status = 'sending', lease_until = ${iso(new Date(now.getTime() + leaseMs))}::timestamptz,
        attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ${iso(now)}::timestamptz), updated_at = ${iso(now)}::timestamptz,
        history = history || ${step(now, 'sending')}::jsonb
      where id in (select id from notifications where status = 'queued' and due_at <= ${iso(now)}::timestamptz
                   order by due_at, id limit ${batchSize} for update skip locked)
      ${RETURNING}`);
    return rowsOf<Claimed>(result).map(normalise);
  }

  /**
   * Rows whose lease ran out: a retry that is due, or a send whose worker died. E-mail batches come back whole.
   * Only a due retry (or a send held for quiet hours) counts as a new attempt: a worker killed mid-send says
   * nothing about the provider, so crashes must not use up the retry budget (they did: the chaos run ended 127
   * delivered messages as failed). The retry window still bounds them: past it, the row fails with its reason.
   */
  const WINDOW_PASSED = 'gave up: the retry window has passed before the message could be sent';

  async function reclaimExpired(now: Date): Promise<Claimed[]> {
    const lease = iso(new Date(now.getTime() + leaseMs));
    const windowStart = iso(new Date(now.getTime() - retry.windowMs));
    const result = await db.execute(sql`
      update notifications set lease_until = ${lease}::timestamptz, updated_at = ${iso(now)}::timestamptz,
        attempts = attempts + case when history->-1->>'status' in ('retry', 'held') then 1 else 0 end,
        status = case when first_attempt_at < ${windowStart}::timestamptz then 'failed' else status end,
        last_error = case when first_attempt_at < ${windowStart}::timestamptz then ${WINDOW_PASSED} || coalesce('; last error: ' || last_error, '')
                          else last_error end,
        history = history || case
          when first_attempt_at < ${windowStart}::timestamptz then ${step(now, 'failed', 'gave up: the retry window has passed')}::jsonb
          when history->-1->>'status' in ('retry', 'held') then ${step(now, 'sending')}::jsonb
          else ${step(now, 'reclaimed', 'the worker sending it stopped before recording the outcome')}::jsonb end
      where status = 'sending' and lease_until <= ${iso(now)}::timestamptz and (
        id in (select id from notifications where status = 'sending' and lease_until <= ${iso(now)}::timestamptz and batch_key is null
               order by lease_until limit ${batchSize} for update skip locked)
        or batch_key in (select distinct batch_key from notifications
                         where status = 'sending' and lease_until <= ${iso(now)}::timestamptz and batch_key is not null limit 5))
      ${RETURNING}, status`);
    return rowsOf<Claimed & { status: string }>(result)
      .filter((r) => r.status === 'sending')
      .map((r) => ({ ...normalise(r), reclaimed: true }));
  }

  /**
   * SMS is held during the customer's quiet hours (never dropped), unless that would carry a required notice past its
   * deadline; the attempt does not count. A row that came back after an unanswered attempt stays unsafe to resend, so
   * the morning's attempt still asks Twilio first. The row keeps its
   * lease until then rather than going back to `queued`, where a newer update may already wait for the same order.
   */
  async function holdQuietSms(rows: Claimed[], now: Date, store: StoreSettings): Promise<Claimed[]> {
    const sms = rows.filter((r) => r.channel === 'sms');
    if (sms.length === 0) return rows;
    const window = { start: store.quietHoursStart, end: store.quietHoursEnd };
    // A store without quiet hours holds nothing: no need to look up the customers' zones.
    if (hasNoQuietHours(window)) return rows;
    const zones = await db
      .select({ id: customers.id, timeZone: customers.timeZone })
      .from(customers)
      .where(
        inArray(
          customers.id,
          sms.map((r) => r.customer_id),
        ),
      );
    const zoneOf = new Map(zones.map((z) => [z.id, z.timeZone]));
    const held = new Set<number>();
    for (const row of sms) {
      const zone = zoneOf.get(row.customer_id) ?? store.timeZone;
      const until = quietHoldUntil(now, zone, window, row.deadline_at === null ? null : new Date(row.deadline_at));
      if (until === null) continue;
      held.add(row.id);
      await db.execute(sql`
        update notifications set lease_until = ${iso(until)}::timestamptz, attempts = attempts - 1,
          retry_safe = ${row.retry_safe || !row.reclaimed},
          history = history || ${step(now, 'held', `quiet hours in ${zone} until ${iso(until)}`)}::jsonb
        where id = ${row.id}`);
    }
    return rows.filter((r) => !held.has(r.id));
  }

  /** Renders rows that have no content yet and persists content and batch keys before any provider call. */
  async function prepare(rows: Claimed[], now: Date, store: StoreSettings): Promise<{ emailGroups: Claimed[][]; sms: Claimed[] }> {
    const fresh = rows.filter((r) => r.rendered === null);
    const composed = await composeMessages(
      db,
      fresh.map((r) => ({
        id: r.id,
        orderId: r.order_id,
        customerId: r.customer_id,
        channel: r.channel,
        required: r.required,
        payload: r.payload,
      })),
      store,
      options.publicUrl,
      now,
    );
    const nothing = fresh.filter((r) => !composed.has(r.id));
    if (nothing.length) await recordFailed(nothing, 'nothing to tell: its events no longer describe a message', now);
    for (const r of fresh) {
      const c = composed.get(r.id);
      if (c && 'error' in c) await recordFailed([r], c.error, now);
      else if (c) Object.assign(r, { rendered: c.rendered, segments: c.segments });
    }
    const ready = rows.filter((r) => r.rendered !== null);
    const emails = ready.filter((r) => r.channel === 'email');
    const groups = new Map<string, Claimed[]>();
    const loose: Claimed[] = [];
    for (const r of emails) {
      if (r.batch_key) groups.set(r.batch_key, [...(groups.get(r.batch_key) ?? []), r]);
      else loose.push(r);
    }
    for (let i = 0; i < loose.length; i += options.email.maxBatch) {
      const group = loose.slice(i, i + options.email.maxBatch);
      // One e-mail: its own dedupe key. Several: a key derived from exactly who is in the batch.
      const key =
        group.length === 1
          ? (group[0] as Claimed).dedupe_key
          : `batch-${createHash('sha256')
              .update(group.map((g) => g.id).join(','))
              .digest('hex')
              .slice(0, 40)}`;
      for (const g of group) g.batch_key = key;
      groups.set(key, group);
    }
    const persist = ready
      .filter((r) => (composed.has(r.id) && r.rendered !== null) || (r.channel === 'email' && loose.includes(r)))
      .map((r) => ({
        id: r.id,
        rendered: r.rendered,
        segments: r.channel === 'sms' ? r.segments : null,
        batch_key: r.channel === 'email' ? r.batch_key : null,
        content_hash: createHash('sha256').update(JSON.stringify(r.rendered)).digest('hex'),
      }));
    if (persist.length) {
      await db.execute(sql`
        update notifications n set rendered = v.rendered, segments = v.segments, batch_key = v.batch_key, content_hash = v.content_hash
        from jsonb_to_recordset(${JSON.stringify(persist)}::jsonb) as v(id bigint, rendered jsonb, segments int, batch_key text, content_hash text)
        where n.id = v.id`);
    }
    // A retried batch must be byte-identical for its idempotency key: always in id order.
    const emailGroups = [...groups.values()].map((g) => g.sort((a, b) => a.id - b.id));
    return { emailGroups, sms: ready.filter((r) => r.channel === 'sms') };
  }

  async function recordSent(rows: Array<{ row: Claimed; providerId: string | null }>, now: Date, detail?: string) {
    if (rows.length === 0) return;
    const values = JSON.stringify(rows.map((r) => ({ id: r.row.id, pid: r.providerId })));
    await db.execute(sql`
      update notifications n set status = 'sent', provider_message_id = v.pid, lease_until = null, last_error = null,
        updated_at = ${iso(now)}::timestamptz, history = n.history || ${step(now, 'sent', detail)}::jsonb
      from jsonb_to_recordset(${values}::jsonb) as v(id bigint, pid text)
      where n.id = v.id and n.status = 'sending'`);
  }

  /**
   * Sent SMS are recorded in small batches, not one statement each: PGlite pays a fixed cost per write and SMS goes
   * one message per call. A crash before the flush leaves the row `sending` with its lease and `retry_safe` false, so
   * the next attempt finds it at Twilio (reconciliation) instead of sending it again.
   */
  const sentSms = (() => {
    let pending: Array<{ row: Claimed; providerId: string | null }> = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Flushes run one after another; `flush()` waits for every one started before it, so a pass (and stop()) ends
    // only when its sent rows are written.
    let flushing: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      if (timer) clearTimeout(timer);
      timer = null;
      const batch = pending;
      pending = [];
      flushing = flushing.then(() =>
        recordSent(batch, clock()).catch((e: Error) => {
          // Not lost: the rows stay `sending` and the next attempt finds them at Twilio. Retried with the next flush.
          log(`notifier: recording sent SMS: ${describeError(e)}`);
          pending.push(...batch);
        }),
      );
      return flushing;
    };
    return {
      add(row: Claimed, providerId: string | null) {
        pending.push({ row, providerId });
        if (pending.length >= 100) void flush();
        else timer ??= setTimeout(() => void flush(), 50);
      },
      flush,
    };
  })();

  async function recordFailed(rows: Claimed[], reason: string, now: Date, suppress = false) {
    if (rows.length === 0) return;
    const ids = `{${rows.map((r) => r.id).join(',')}}`;
    await db.execute(sql`
      update notifications set status = 'failed', lease_until = null, last_error = ${reason.slice(0, 1000)}, updated_at = ${iso(now)}::timestamptz,
        history = history || ${step(now, 'failed', reason)}::jsonb
      where id = any(${ids}::bigint[]) and status = 'sending'`);
    if (suppress) {
      for (const r of rows) {
        await db.execute(sql`insert into suppressions (channel, address, reason) values (${r.channel}, ${r.recipient}, ${reason.slice(0, 200)})
          on conflict (address) do nothing`);
      }
    }
  }

  /** Not sent, on purpose and visibly: the reason is in the log and on the order, like an opt-out. */
  async function recordSuppressed(rows: Claimed[], reason: string, now: Date) {
    const ids = `{${rows.map((r) => r.id).join(',')}}`;
    await db.execute(sql`
      update notifications set status = 'suppressed', lease_until = null, last_error = ${`suppressed: ${reason}`}, updated_at = ${iso(now)}::timestamptz,
        history = history || ${step(now, 'suppressed', reason)}::jsonb
      where id = any(${ids}::bigint[]) and status = 'sending'`);
  }

  async function recordOutcome(rows: Claimed[], outcome: SendOutcome, now: Date) {
    if (outcome.kind === 'sent')
      return recordSent(
        rows.map((row) => ({ row, providerId: outcome.providerId })),
        now,
      );
    if (outcome.kind === 'failed') return recordFailed(rows, outcome.reason, now, outcome.suppress ?? false);
    const first = rows[0] as Claimed;
    const decision = nextRetry({
      attempts: Math.max(...rows.map((r) => r.attempts)),
      firstAttemptAt: new Date(first.first_attempt_at),
      now,
      retryAfterMs: outcome.retryAfterMs,
      policy: retry,
    });
    if (!decision.retry) return recordFailed(rows, `${decision.reason}; last error: ${outcome.reason}`, now);
    const ids = `{${rows.map((r) => r.id).join(',')}}`;
    await db.execute(sql`
      update notifications set lease_until = ${iso(decision.at)}::timestamptz, retry_safe = ${!outcome.outcomeUnknown},
        last_error = ${outcome.reason.slice(0, 1000)}, updated_at = ${iso(now)}::timestamptz,
        history = history || ${step(now, 'retry', `${outcome.reason}; next attempt ${iso(decision.at)}`)}::jsonb
      where id = any(${ids}::bigint[]) and status = 'sending'`);
  }

  async function waitUntil(at: Date) {
    const ms = at.getTime() - clock().getTime();
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  /**
   * Waits for a provider slot on `key` and returns when the call may start. A timer that fires later than the slot's
   * margin (a busy thread) would squeeze this call into the next caller's second, so the late call takes a new slot:
   * the rate is never exceeded, at the cost of the missed slot. A new slot starts no sooner than the last attempt's
   * lateness from now: on an idle key a slot starts when asked, and a slow reservation alone would make it late again.
   * `reserved` runs once a slot is known, before waiting.
   */
  async function takeSlot(key: string, perSecond: number, units: number, reserved?: (start: Date) => Promise<void>) {
    let leadMs = 0;
    for (;;) {
      const start = await reserveSlot(db, key, perSecond, units, new Date(clock().getTime() + leadMs));
      await reserved?.(start);
      await waitUntil(start);
      const lateMs = clock().getTime() - start.getTime();
      if (perSecond <= 0 || lateMs <= slotToleranceMs(perSecond, units)) return;
      leadMs = Math.min(lateMs, 1000);
    }
  }

  /**
   * The sender staff saved in the settings wins over the server's EMAIL_FROM: it is what the settings page says
   * messages go out as. Without either, the store's name and support address.
   */
  async function sendEmailGroup(group: Claimed[], store: StoreSettings, lease: Lease) {
    const from = store.emailFrom ?? options.emailFrom ?? `${store.name} <${store.supportEmail}>`;
    const batch: OutgoingEmail[] = group.map((r) => {
      // An e-mail row is always rendered with both bodies (compose.ts); only SMS rows go without.
      const c = r.rendered as Required<RenderedContent>;
      return { notificationId: r.id, to: r.recipient, from, subject: c.subject, html: c.html, text: c.text, headers: c.headers };
    });
    // Everything asynchronous happens before the slot: a call that starts late squeezes the gap to the next one.
    await takeSlot('resend', options.rates.emailRequestsPerSecond, 1);
    // The batch goes as one (its key names every member), so one lost lease holds it all back.
    const lost = group.find((r) => !lease.holds(r.id, clock()));
    if (lost) return log(`notifier: lease on notification ${lost.id} may be lost; its batch is left to whoever holds it`);
    let outcomes: SendOutcome[];
    try {
      outcomes = await options.email.send(batch, group[0]?.batch_key as string);
    } catch (error) {
      outcomes = group.map(() => ({
        kind: 'retry',
        reason: `transport error: ${(error as Error).message}`,
        retryAfterMs: null,
        outcomeUnknown: true,
      }));
    }
    const now = clock();
    const sent = group.flatMap((row, i) =>
      outcomes[i]?.kind === 'sent' ? [{ row, providerId: (outcomes[i] as { providerId: string | null }).providerId }] : [],
    );
    await recordSent(sent, now);
    const rest = group.filter((_, i) => outcomes[i]?.kind !== 'sent');
    // A batch answers as one: every e-mail that was not sent shares the same outcome.
    if (rest.length) await recordOutcome(rest, outcomes[group.indexOf(rest[0] as Claimed)] as SendOutcome, now);
  }

  /** From the number or Messaging Service staff saved in the settings, else the channel's configured one. */
  async function sendSms(row: Claimed, channel: SmsChannel, store: StoreSettings, lease: Lease) {
    const c = row.rendered as RenderedContent;
    const from = store.smsFrom ?? channel.sender;
    const sms: OutgoingSms = { notificationId: row.id, to: row.recipient, from, body: c.sms, segments: row.segments ?? 1 };
    if (row.reclaimed && !row.retry_safe) {
      // SMS has no idempotency key: ask Twilio whether the earlier, unanswered attempt went out.
      try {
        const sid = await channel.findSent(sms, new Date(row.first_attempt_at));
        if (sid) return recordSent([{ row, providerId: sid }], clock(), 'found at the provider after an unanswered attempt');
      } catch (error) {
        return recordOutcome(
          [row],
          { kind: 'retry', reason: `reconcile failed: ${(error as Error).message}`, retryAfterMs: null, outcomeUnknown: true },
          clock(),
        );
      }
    }
    // This attempt may reach Twilio: a crash from here on must make the next attempt reconcile first. Written
    // before the slot, like every other write, so the call itself starts on time.
    if (row.retry_safe) await db.execute(sql`update notifications set retry_safe = false where id = ${row.id}`);
    // Pacing is per sender (Twilio's rate is per long-code number), whichever one this message goes from.
    await takeSlot(`sms:${from}`, options.rates.smsSegmentsPerSecond, sms.segments, async (start) => {
      if (start.getTime() <= clock().getTime() + leaseMs / 2) return;
      const until = new Date(start.getTime() + leaseMs);
      await db.execute(sql`update notifications set lease_until = ${iso(until)}::timestamptz where id = ${row.id}`);
      lease.moved(row.id, until);
    });
    // Last check before Twilio: if this thread stalled past its lease, another worker may already have sent it.
    if (!lease.holds(row.id, clock())) return log(`notifier: lease on notification ${row.id} may be lost; left to whoever holds it`);
    let outcome: SendOutcome;
    try {
      outcome = await channel.send(sms);
    } catch (error) {
      outcome = { kind: 'retry', reason: `transport error: ${(error as Error).message}`, retryAfterMs: null, outcomeUnknown: true };
    }
    const now = clock();
    if (outcome.kind === 'sent') return sentSms.add(row, outcome.providerId);
    if (outcome.kind === 'failed' && outcome.suppress) {
      await db.execute(
        sql`update customers set sms_opted_out_at = coalesce(sms_opted_out_at, ${iso(now)}::timestamptz) where phone = ${row.recipient}`,
      );
    }
    await recordOutcome([row], outcome, now);
  }

  async function pool<T>(items: T[], fn: (item: T) => Promise<void>, beat: () => void) {
    let next = 0;
    const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        try {
          await fn(item);
        } catch (error) {
          log(`notifier: send failed unexpectedly: ${describeError(error)}`);
        }
        beat();
      }
    });
    await Promise.all(workers);
  }

  async function pass(lane: number | null, housekeeping: boolean, beat: () => void = () => {}): Promise<number> {
    const started = performance.now();
    const now = clock();
    if (housekeeping && options.onTick) await options.onTick(now);
    const reclaimed = await reclaimExpired(now);
    const claimed = [...reclaimed, ...(await claimFresh(now))];
    const report = async () => {
      if (!options.onPass) return;
      const outcomes = claimed.length ? await outcomesOf(claimed.map((r) => r.id)) : {};
      const durationMs = performance.now() - started;
      options.onPass({ lane, claimed: claimed.length, reclaimed: reclaimed.length, outcomes, durationMs });
    };
    if (claimed.length === 0) {
      await report();
      return 0;
    }
    const lease = keepLeases(
      claimed.map((r) => r.id),
      new Date(now.getTime() + leaseMs),
    );
    try {
      // Read once per pass: the senders, quiet hours and names every message of the pass uses.
      const store = await loadStoreSettings(db);
      const sendable = await holdQuietSms(claimed, now, store);
      const noSms = options.sms ? [] : sendable.filter((r) => r.channel === 'sms');
      if (noSms.length) await recordSuppressed(noSms, NO_SMS_PROVIDER, now);
      const { emailGroups, sms } = await prepare(
        sendable.filter((r) => r.channel === 'email' || options.sms),
        now,
        store,
      );
      const channel = options.sms;
      await pool<() => Promise<void>>(
        [
          ...emailGroups.map((g) => () => sendEmailGroup(g, store, lease)),
          ...(channel ? sms.map((r) => () => sendSms(r, channel, store, lease)) : []),
        ],
        (job) => job(),
        beat,
      );
      await sentSms.flush();
    } finally {
      await lease.stop();
    }
    await report();
    return claimed.length;
  }

  async function outcomesOf(ids: number[]): Promise<Record<string, number>> {
    const rows = rowsOf<{ status: string; n: number | string }>(
      await db.execute(
        sql`select status, count(*)::int as n from notifications where id = any(${`{${ids.join(',')}}`}::bigint[]) group by status`,
      ),
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /**
   * Renews the lease of a pass's rows every third of a lease while it runs, so that a long batch (slow provider,
   * paced SMS) is not reclaimed by another worker or lane while its messages are still queued here, which would send
   * them twice (the chaos run saw 58 SMS duplicates before this). Only rows still holding the lease this pass set are
   * renewed: one rescheduled for a retry, held for quiet hours or taken over by another worker carries another value.
   */
  function keepLeases(ids: number[], leaseUntil: Date): Lease {
    const list = `{${ids.join(',')}}`;
    let current = leaseUntil;
    let held = new Set(ids);
    /** Rows whose lease this pass moved itself (an SMS waiting for a far slot): each keeps its own. */
    const own = new Map<number, Date>();
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        renewing = renewing.then(async () => {
          const next = new Date(clock().getTime() + leaseMs);
          try {
            const renewed = rowsOf<{ id: number | string }>(
              await db.execute(sql`
              update notifications set lease_until = ${iso(next)}::timestamptz
              where id = any(${list}::bigint[]) and status = 'sending' and lease_until = ${iso(current)}::timestamptz
              returning id`),
            );
            held = new Set(renewed.map((r) => Number(r.id)));
            current = next;
          } catch (error) {
            log(`notifier: renewing leases: ${describeError(error)}`);
          }
        });
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    return {
      holds(id, now) {
        const until = own.get(id) ?? (held.has(id) ? current : null);
        return until !== null && now.getTime() < until.getTime() - leaseMargin;
      },
      moved(id, until) {
        own.set(id, until);
      },
      async stop() {
        clearInterval(timer);
        await renewing;
      },
    };
  }

  /** Lane 0 also runs the housekeeping (sweep, webhooks); the others only claim and send. */
  async function loop(lane: number) {
    const beat = () => {
      beats[lane] = performance.now();
    };
    beat();
    while (!stopping) {
      let handled = 0;
      try {
        handled = await pass(lane, lane === 0, beat);
      } catch (error) {
        log(`notifier: ${describeError(error)}`);
      }
      // A pass that failed still came back: the loop is alive (the database's own check says whether it answers).
      beat();
      if (handled === 0 && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          const waker = () => {
            clearTimeout(timer);
            wakers.delete(waker);
            resolve();
          };
          wakers.add(waker);
        });
      }
    }
  }

  return {
    tick: () => pass(null, true),
    start() {
      if (running) return;
      stopping = false;
      beats = Array.from({ length: lanes }, () => performance.now());
      running = Promise.all(Array.from({ length: lanes }, (_, lane) => loop(lane))).then(() => undefined);
    },
    async stop() {
      stopping = true;
      for (const waker of [...wakers]) waker();
      await running;
      running = null;
    },
    health() {
      const now = performance.now();
      return { running: running !== null && !stopping, stallMs, lanes: beats.map((at) => now - at) };
    },
  };
}
