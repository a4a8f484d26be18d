// The scheduled FTC sweep (idempotent, safe with several workers): cancels and refunds lapsed lines, sends notices
// due at T, raises at-risk lines and overdue refunds for staff. Each action is an event citing its rule section.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { sqlEventData } from '#db/event-sql.ts';
import { openStatus } from '#db/line-status-sql.ts';
import type { LineCompliance } from '#db/schema/index.ts';
import { defineCommand } from '#src/commands/command.ts';
import { anyOf, staff, system } from '#src/commands/rules.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { dueActions } from '#src/domain/ftc-rule.ts';
import type { LineStatus } from '#src/domain/line-status.ts';
import { SYSTEM } from '../commands/actor.ts';
import { sendDueNoticeInTx } from '../eta/send-due-notice.ts';
import { cancelLinesInTx } from '../refunds/cancel-lines.ts';
import { loadStoreSettings } from '../store/store-settings.ts';
import { ruleStateOf } from './line-compliance.ts';

export type SweepReport = { cancelled: number; noticesSent: number; atRisk: number; refundsOverdue: number };

type Candidate = {
  id: number;
  order_id: number;
  status: LineStatus;
  applicable_time: string;
  compliance: LineCompliance;
  eta_from: string | null;
  eta_to: string | null;
  eta_reason: string | null;
};

const BATCH = 200;

export async function runSweep(db: Db, now: Date = new Date()): Promise<SweepReport> {
  const settings = await loadStoreSettings(db);
  const today = toCalendarDate(now, settings.timeZone);
  const report: SweepReport = { cancelled: 0, noticesSent: 0, atRisk: 0, refundsOverdue: 0 };
  const horizon = addDays(today, settings.atRiskDays);

  // 0. The index finds lines by `check_by`, which is never after `ship_by` but is left behind when a delay moves
  // `ship_by` later (decision 020). Raise it for every line the steps below would look at, so that they see exact
  // dates and a delayed line is not a candidate again. In batches: PGlite serves requests between them.
  for (;;) {
    const raised = rowsOf<{ id: number }>(
      await db.execute(sql`
        update order_lines l set check_by = l.ship_by
        from (
          select id from order_lines
          where ${openStatus()} and check_by <= ${horizon}::date and (ship_by is null or check_by < ship_by)
          order by check_by, id limit ${BATCH} for update skip locked
        ) stale
        where l.id = stale.id
        returning l.id`),
    );
    if (raised.length < BATCH) break;
  }

  // 1. 435.2(c): lines whose ship-by date has passed without shipment, notice or consent are cancelled and refunded.
  for (;;) {
    const handled = await db.transaction(async (tx) => {
      const lapsed = rowsOf<Candidate>(
        await tx.execute(sql`
          select id, order_id, status, applicable_time::text as applicable_time, compliance, null as eta_from, null as eta_to, null as eta_reason
          from order_lines where ${openStatus()} and check_by < ${today}::date and ship_by < ${today}::date
          order by check_by, id limit ${BATCH} for update skip locked`),
      );
      let count = 0;
      for (const line of lapsed) {
        const due = dueActions(
          ruleStateOf({ applicableTime: line.applicable_time, status: line.status, compliance: line.compliance }),
          today,
        );
        if (due.action !== 'cancel_and_refund') {
          await tx.execute(sql`update order_lines set ship_by = ${today}::date, check_by = ${today}::date where id = ${line.id}`);
          continue;
        }
        const result = await cancelLinesInTx(tx, {
          orderId: line.order_id,
          lineIds: [line.id],
          actor: SYSTEM,
          reason: `Cancelled by the sweep: ${due.why.replaceAll('_', ' ')}`,
          section: due.section,
          vestedOn: due.vestedOn,
          now,
        });
        if (result.ok) count++;
      }
      return { count, seen: lapsed.length };
    });
    report.cancelled += handled.count;
    if (handled.seen < BATCH) break;
  }

  // 2. 435.2(b)(1): a line at T, unshipped, with no notice and an ETA after T gets its first notice now.
  const dueNotices = rowsOf<Candidate>(
    await db.execute(sql`
      select l.id, l.order_id, l.status, l.applicable_time::text as applicable_time, l.compliance,
             l.eta_from::text as eta_from, l.eta_to::text as eta_to, p.eta_reason
      from order_lines l left join products p on p.id = l.product_id
      where ${openStatus('l.status')} and l.applicable_time <= ${today}::date
        and jsonb_array_length(l.compliance->'notices') = 0
        and (l.eta_to is null or l.eta_to > l.applicable_time)
      order by l.id limit 1000`),
  );
  for (const line of dueNotices) {
    const chunk = await db.transaction((tx) =>
      sendDueNoticeInTx(
        tx,
        line.id,
        { from: line.eta_from, to: line.eta_to },
        line.eta_reason ?? 'The item has not arrived from our supplier yet',
        now,
        settings,
      ),
    );
    report.noticesSent += chunk.notices;
    report.cancelled += chunk.cancelled;
  }

  // 3. At risk: T (or the revised date) is near, nothing shipped and no notice asks the customer yet. Raised once per date.
  const risky = rowsOf<{ id: number }>(
    await db.execute(sql`
      insert into events (order_id, line_id, type, actor_type, rule_section, data, dedupe_key, occurred_at)
      select order_id, id, 'at_risk', 'system', '435.2(b)(1)', ${sqlEventData('at_risk', { shipBy: sql`ship_by`, daysLeft: sql`ship_by - ${today}::date` })},
             'at_risk:' || id || ':' || ship_by, ${now.toISOString()}::timestamptz
      from order_lines
      where ${openStatus()} and not awaiting_consent and check_by <= ${horizon}::date
        and ship_by >= ${today}::date and ship_by <= ${horizon}::date
      on conflict (order_id, dedupe_key) do nothing returning id`),
  );
  report.atRisk = risky.length;

  // 4. 435.1(b): refunds not sent within 7 working days (requested, or failed and still owed) are flagged for staff, once.
  const overdue = rowsOf<{ id: number }>(
    await db.execute(sql`
      insert into events (order_id, type, actor_type, rule_section, data, dedupe_key, occurred_at)
      select order_id, 'refund_overdue', 'system', '435.1(b)', ${sqlEventData('refund_overdue', { refundId: sql`id`, dueOn: sql`due_on`, amount: sql`amount` })},
             'refund_overdue:' || id, ${now.toISOString()}::timestamptz
      from refunds where status in ('requested', 'failed') and due_on < ${today}::date
      on conflict (order_id, dedupe_key) do nothing returning id`),
  );
  report.refundsOverdue = overdue.length;
  return report;
}

export const runSweepCommand = defineCommand({
  name: 'run-sweep',
  // `asOf` runs it as if at another moment (the operator checking what a date will bring); by default, now.
  input: z.object({ asOf: z.iso.datetime({ offset: true }).optional() }),
  allow: anyOf(staff('owner'), system),
  run: async (db, input, { now }) => ({ ok: true as const, ...(await runSweep(db, input.asOf ? new Date(input.asOf) : now)) }),
});
