// Query: one order as the console shows it, everything staff need: customer, lines with their flags and next
// statuses, the full event log, messages with their delivery history, and refunds with where they stand.
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { type DeliveryStep, type LineCompliance, type NotificationStatus, orders, staffUsers } from '#db/schema/index.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { normaliseOrderNumber } from '#src/domain/contact.ts';
import type { DelayNotice } from '#src/domain/ftc-rule.ts';
import { allowedNext, isOpen, type LineKind, type LineStatus } from '#src/domain/line-status.ts';
import { type RefundStanding, refundStanding } from '#src/domain/refund-standing.ts';
import { loadStoreSettings } from '../store/store-settings.ts';
import { lineFlags, type OrderFlags, orderFlags } from './order-flags.ts';

export type AdminLine = {
  id: number;
  lineNo: number;
  sku: string;
  name: string;
  kind: LineKind;
  status: LineStatus;
  quantity: number;
  unitPrice: number;
  amountPaid: number;
  amountRefunded: number;
  isDeposit: boolean;
  /** The ship-by date stated at checkout, if one was. */
  promisedBy: string | null;
  /** The applicable time T (435.2(a)(1)). */
  applicableTime: string;
  /** The date the line may ship by under the rule now; null after consent to an indefinite delay or when closed. */
  shipBy: string | null;
  etaFrom: string | null;
  etaTo: string | null;
  trackingUrl: string | null;
  awaitingConsent: boolean;
  open: boolean;
  atRisk: boolean;
  late: boolean;
  /** Statuses staff may move it to here (cancelling has its own confirmation step). */
  nextStatuses: LineStatus[];
  /** The latest delay option notice and whether the customer consented to it. */
  latestNotice: (DelayNotice & { index: number; consented: boolean }) | null;
};

export type AdminEvent = {
  id: number;
  at: Date;
  type: string;
  lineNo: number | null;
  actor: string;
  ruleSection: string | null;
  data: Record<string, unknown>;
};

export type AdminNotification = {
  id: number;
  channel: 'email' | 'sms';
  recipient: string;
  template: string;
  required: boolean;
  status: NotificationStatus;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  history: DeliveryStep[];
};

export type AdminRefund = {
  id: number;
  lineNo: number | null;
  amount: number;
  currency: string;
  status: 'requested' | 'sent' | 'failed';
  reason: string;
  ruleSection: string | null;
  vestedOn: string;
  dueOn: string;
  reference: string | null;
  sentOn: string | null;
  failureReason: string | null;
  overdue: boolean;
  /** Where it stands: requested and due by, sent with its reference, or failed with the reason. */
  standing: RefundStanding;
  /** The lines it refunds (one line, or those of its breakdown). */
  lineNos: number[];
};

export type AdminOrder = {
  id: number;
  number: string;
  placedAt: Date;
  completedAt: Date;
  currency: string;
  paymentState: string;
  shippingPaid: number;
  shippingRefunded: number;
  store: { timeZone: string; atRiskDays: number };
  today: string;
  customer: {
    name: string;
    email: string;
    phone: string | null;
    locale: string;
    timeZone: string;
    smsConsent: boolean;
    smsOptedOut: boolean;
    updatesOptedOut: boolean;
  };
  lines: AdminLine[];
  /** Every event, staff-only ones included, newest first. */
  events: AdminEvent[];
  /** Every message, newest first, with its delivery history. */
  notifications: AdminNotification[];
  refunds: AdminRefund[];
  flags: OrderFlags;
};

function latestNoticeOf(c: LineCompliance): AdminLine['latestNotice'] {
  const index = c.notices.length - 1;
  const n = c.notices[index];
  if (!n) return null;
  return { ...n, index, consented: c.answers.some((a) => a.kind === 'consent' && a.noticeIndex === index) };
}

function actorLabel(type: string, id: string | null, staffNames: Map<string, string>): string {
  if (type === 'staff') return id && staffNames.has(id) ? `${staffNames.get(id)} (staff)` : `staff${id ? ` ${id}` : ''}`;
  if (type === 'api') return `API${id ? ` (${id})` : ''}`;
  if (type === 'system') return id ? `system (${id})` : 'system';
  return 'customer';
}

/** The order with its customer, lines, full event log, messages and refunds; null when there is no such order. */
export async function loadAdminOrder(db: Db, number: string, now: Date = new Date()): Promise<AdminOrder | null> {
  const settings = await loadStoreSettings(db);
  const today = toCalendarDate(now, settings.timeZone);
  const d = { today, horizon: addDays(today, settings.atRiskDays) };
  const order = await db.query.orders.findFirst({
    where: eq(orders.number, normaliseOrderNumber(number)),
    with: {
      customer: true,
      lines: { orderBy: (l, { asc }) => [asc(l.lineNo)] },
      events: { orderBy: (e, { desc }) => [desc(e.occurredAt), desc(e.id)] },
      notifications: { orderBy: (n, { desc }) => [desc(n.id)] },
      refunds: { orderBy: (r, { asc }) => [asc(r.id)] },
    },
  });
  if (!order) return null;
  const staffIds = [
    ...new Set(order.events.filter((e) => e.actorType === 'staff' && /^\d{1,9}$/.test(e.actorId ?? '')).map((e) => Number(e.actorId))),
  ];
  const staff = staffIds.length
    ? await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, staffIds))
    : [];
  const staffNames = new Map(staff.map((s) => [String(s.id), s.name]));
  const lineNoById = new Map(order.lines.map((l) => [l.id, l.lineNo]));
  const lines = order.lines.map((l): AdminLine => {
    const f = lineFlags(l, d);
    return {
      id: l.id,
      lineNo: l.lineNo,
      sku: l.sku,
      name: l.name,
      kind: l.kind,
      status: l.status,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amountPaid: l.amountPaid,
      amountRefunded: l.amountRefunded,
      isDeposit: l.isDeposit,
      promisedBy: l.promisedBy,
      applicableTime: l.applicableTime,
      shipBy: l.shipBy,
      etaFrom: l.etaFrom,
      etaTo: l.etaTo,
      trackingUrl: l.trackingUrl,
      awaitingConsent: l.awaitingConsent,
      open: isOpen(l.status),
      atRisk: f.atRisk,
      late: f.late,
      nextStatuses: allowedNext(l.status).filter((s) => s !== 'cancelled'),
      latestNotice: latestNoticeOf(l.compliance),
    };
  });
  return {
    id: order.id,
    number: order.number,
    placedAt: order.placedAt,
    completedAt: order.completedAt,
    currency: order.currency,
    paymentState: order.paymentState,
    shippingPaid: order.shippingPaid,
    shippingRefunded: order.shippingRefunded,
    store: { timeZone: settings.timeZone, atRiskDays: settings.atRiskDays },
    today,
    customer: {
      name: order.customer.name,
      email: order.customer.email,
      phone: order.customer.phone,
      locale: order.customer.locale,
      timeZone: order.customer.timeZone,
      smsConsent: order.customer.smsConsentAt !== null && order.customer.smsOptedOutAt === null,
      smsOptedOut: order.customer.smsOptedOutAt !== null,
      updatesOptedOut: order.customer.updatesOptedOutAt !== null,
    },
    lines,
    events: order.events.map((e) => ({
      id: e.id,
      at: e.occurredAt,
      type: e.type,
      lineNo: e.lineId === null ? null : (lineNoById.get(e.lineId) ?? null),
      actor: actorLabel(e.actorType, e.actorId, staffNames),
      ruleSection: e.ruleSection,
      data: e.data,
    })),
    notifications: order.notifications.map((n) => ({
      id: n.id,
      channel: n.channel,
      recipient: n.recipient,
      template: n.template,
      required: n.required,
      status: n.status,
      subject: n.rendered?.subject ?? null,
      attempts: n.attempts,
      lastError: n.lastError,
      createdAt: n.createdAt,
      history: n.history,
    })),
    refunds: order.refunds.map((r) => ({
      id: r.id,
      lineNo: r.lineId === null ? null : (lineNoById.get(r.lineId) ?? null),
      amount: r.amount,
      currency: r.currency,
      status: r.status,
      reason: r.reason,
      ruleSection: r.ruleSection,
      vestedOn: r.vestedOn,
      dueOn: r.dueOn,
      reference: r.reference,
      sentOn: r.sentOn,
      failureReason: r.failureReason,
      overdue: r.status !== 'sent' && r.dueOn < today,
      standing: refundStanding(r, today),
      lineNos: (r.lineId !== null ? [r.lineId] : (r.breakdown?.lines.map((b) => b.id) ?? []))
        .map((id) => lineNoById.get(id))
        .filter((n) => n !== undefined),
    })),
    flags: orderFlags(order.lines, order.refunds, d),
  };
}
