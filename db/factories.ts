// Builders of believable store data, shared by the demo seed, the large benchmark seed and the tests.
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { eventRow, type OrderEvent } from '#src/domain/events.ts';
import type { DelayNotice } from '#src/domain/ftc-rule.ts';
import { isOpen, type LineKind, type LineStatus } from '#src/domain/line-status.ts';
import type { customers, events, orderLines, orders, products, refunds, storeSettings } from './schema/index.ts';

type NewStore = typeof storeSettings.$inferInsert;
type NewProduct = typeof products.$inferInsert;
type NewCustomer = typeof customers.$inferInsert;
type NewOrder = typeof orders.$inferInsert;
type NewLine = typeof orderLines.$inferInsert;
type NewEvent = typeof events.$inferInsert;
type NewRefund = typeof refunds.$inferInsert;

export const STORE_TIME_ZONE = 'America/New_York';

export function storeFactory(over: Partial<NewStore> = {}): NewStore {
  return {
    id: 1,
    name: 'Northwind Outfitters',
    supportEmail: 'help@northwind.example',
    supportPhone: '+15555550100',
    timeZone: STORE_TIME_ZONE,
    // The demo coalesces changes for 5 s, so a newcomer sees messages at once; a real store's default is 2 minutes.
    coalesceSeconds: 5,
    ...over,
  };
}

/** The demo catalogue: each product sits in a different situation so the demo shows every state. */
export const DEMO_PRODUCTS = [
  { sku: 'AUR-LAMP', name: 'Aurora desk lamp', kind: 'preorder', etaOffsetDays: [18, 25] },
  { sku: 'KES-KETTLE', name: 'Kestrel pour-over kettle', kind: 'backorder', etaOffsetDays: [30, 40] },
  { sku: 'NIM-MUGS', name: 'Nimbus mug set (4)', kind: 'backorder', etaOffsetDays: [4, 9] },
  { sku: 'TRL-PACK30', name: 'Trail pack 30 L', kind: 'preorder', etaOffsetDays: [1, 3] },
  { sku: 'FLD-CHAIR', name: 'Field camp chair', kind: 'in_stock', etaOffsetDays: [0, 2] },
] as const satisfies ReadonlyArray<{ sku: string; name: string; kind: LineKind; etaOffsetDays: readonly [number, number] }>;

export function productFactory(p: (typeof DEMO_PRODUCTS)[number], today: string): NewProduct {
  return {
    sku: p.sku,
    name: p.name,
    kind: p.kind,
    etaFrom: addDays(today, p.etaOffsetDays[0]),
    etaTo: addDays(today, p.etaOffsetDays[1]),
  };
}

const FIRST = [
  'Maya',
  'Jonas',
  'Priya',
  'Diego',
  'Amara',
  'Lukas',
  'Hana',
  'Omar',
  'Sofia',
  'Ethan',
  'Zoe',
  'Kenji',
  'Lena',
  'Mateo',
  'Aisha',
  'Noah',
];
const LAST = [
  'Chen',
  'Berg',
  'Patel',
  'Alvarez',
  'Okafor',
  'Schmidt',
  'Sato',
  'Haddad',
  'Rossi',
  'Walker',
  'Dubois',
  'Tanaka',
  'Novak',
  'García',
  'Khan',
  'Miller',
];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Denver', 'Europe/Berlin'];

export function customerFactory(i: number, over: Partial<NewCustomer> = {}): NewCustomer {
  const first = FIRST[i % FIRST.length] as string;
  const last = LAST[(i + Math.floor(i / FIRST.length)) % LAST.length] as string;
  const slug = `${first}.${last}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z.]/g, '');
  return {
    name: `${first} ${last}`,
    email: `${slug}${i >= FIRST.length * LAST.length ? i : ''}@example.com`,
    phone: `+1555${String(2000000 + (i % 8000000)).padStart(7, '0')}`,
    locale: 'en',
    timeZone: ZONES[i % ZONES.length] as string,
    ...over,
  };
}

/** The situations an order's lines can be in; the demo spreads its orders across all of them. */
export const SCENARIOS = ['on_time', 'delayed', 'late', 'ready', 'shipped', 'delivered', 'cancelled_refunded'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export type OrderDraft = {
  order: Omit<NewOrder, 'customerId'>;
  lines: Omit<NewLine, 'orderId'>[];
  /** Events by line index (null = whole order), in time order. */
  events: Array<Omit<NewEvent, 'orderId' | 'lineId'> & { lineIndex: number | null }>;
  refunds: Array<Omit<NewRefund, 'orderId' | 'lineId'> & { lineIndex: number }>;
};

type DraftEvent = OrderEvent & Omit<OrderDraft['events'][number], 'type' | 'data'>;

/** A demo event, validated as every writer's (decision 036). */
function draftEvent({ type, data, ...rest }: DraftEvent): OrderDraft['events'][number] {
  return { ...rest, ...eventRow({ type, data } as OrderEvent) };
}

const PRICES: Record<string, number> = { 'AUR-LAMP': 8900, 'KES-KETTLE': 6400, 'NIM-MUGS': 3800, 'TRL-PACK30': 14900, 'FLD-CHAIR': 5900 };

/**
 * One order in a scenario, relative to `now`. `placedDaysAgo` places it in time; T is stated at checkout as
 * placed + 21 days for preorders and backorders (so "late" orders are those placed more than 21 days ago).
 */
export function orderFactory(args: {
  number: string;
  scenario: Scenario;
  now: Date;
  placedDaysAgo: number;
  skuIndex: number;
  quantity?: number;
}): OrderDraft {
  const { scenario, now } = args;
  const product = DEMO_PRODUCTS[args.skuIndex % DEMO_PRODUCTS.length] ?? DEMO_PRODUCTS[0];
  const placedAt = new Date(now.getTime() - args.placedDaysAgo * 86_400_000);
  const placedOn = toCalendarDate(placedAt, STORE_TIME_ZONE);
  const today = toCalendarDate(now, STORE_TIME_ZONE);
  const promisedBy = addDays(placedOn, product.kind === 'in_stock' ? 3 : 21);
  const quantity = args.quantity ?? 1 + (Number.parseInt(args.number, 10) % 2);
  const unitPrice = PRICES[product.sku] ?? 5000;
  const amountPaid = unitPrice * quantity;
  const shippingPaid = 795;

  let status: LineStatus = 'waiting';
  let eta: [string, string] = [addDays(promisedBy, -4), addDays(promisedBy, -1)];
  const events: OrderDraft['events'] = [
    draftEvent({ type: 'order_created', actorType: 'api', actorId: 'shop', data: { lines: 1 }, occurredAt: placedAt, lineIndex: null }),
  ];
  const refundsOut: OrderDraft['refunds'] = [];
  const notices: DelayNotice[] = [];
  const at = (daysAfterPlaced: number) => new Date(placedAt.getTime() + daysAfterPlaced * 86_400_000);

  switch (scenario) {
    case 'on_time':
      break;
    case 'delayed': {
      // Moved 10–18 days past T two days after ordering, with the first delay option notice (silence consents up to
      // R, 435.2(b)(1)(ii)) sent the same day.
      const to: [string, string] = [addDays(promisedBy, 10), addDays(promisedBy, 18)];
      const noticeOn = toCalendarDate(at(Math.min(2, args.placedDaysAgo)), STORE_TIME_ZONE);
      notices.push({
        kind: 'first',
        sentOn: noticeOn,
        revisedDate: to[1],
        silenceMeans: 'consent',
        deadline: to[1],
        reason: 'Supplier shipment rescheduled',
      });
      events.push(
        draftEvent({
          type: 'delay_notice_sent',
          actorType: 'staff',
          actorId: 'demo',
          ruleSection: '435.2(b)(1)(ii)',
          // As a move that sends a notice writes it: one event, the notice carrying the move.
          data: {
            ...(notices[0] as DelayNotice),
            action: 'first_notice_silence_consents',
            noticeIndex: 0,
            changed: {
              from: { from: eta[0], to: eta[1] },
              to: { from: to[0], to: to[1] },
              reason: 'Supplier shipment rescheduled',
              classification: 'first_notice_silence_consents',
            },
          },
          occurredAt: at(Math.min(2, args.placedDaysAgo)),
          lineIndex: 0,
        }),
      );
      eta = to;
      break;
    }
    case 'late': {
      // Past its promised date T and still waiting: lawful only because a notice moved it to R (T + 12) before T,
      // and silence consented (435.2(b)(1)(ii)). The page must still say plainly that it is late.
      const R = addDays(promisedBy, 12);
      const noticeOn = addDays(promisedBy, -3);
      notices.push({
        kind: 'first',
        sentOn: noticeOn,
        revisedDate: R,
        silenceMeans: 'consent',
        deadline: R,
        reason: 'Carrier capacity at the port',
      });
      events.push(
        draftEvent({
          type: 'delay_notice_sent',
          actorType: 'staff',
          actorId: 'demo',
          ruleSection: '435.2(b)(1)(ii)',
          data: {
            ...(notices[0] as DelayNotice),
            action: 'first_notice_silence_consents',
            noticeIndex: 0,
            changed: {
              from: { from: eta[0], to: eta[1] },
              to: { from: addDays(R, -3), to: R },
              reason: 'Carrier capacity at the port',
              classification: 'first_notice_silence_consents',
            },
          },
          occurredAt: new Date(`${noticeOn}T15:00:00Z`),
          lineIndex: 0,
        }),
      );
      eta = [addDays(R, -3), R];
      break;
    }
    case 'ready':
      status = 'ready';
      events.push(
        draftEvent({
          type: 'status_changed',
          actorType: 'staff',
          actorId: 'demo',
          data: { from: 'waiting', to: 'ready' },
          occurredAt: at(Math.min(args.placedDaysAgo, 5)),
          lineIndex: 0,
        }),
      );
      break;
    case 'shipped':
    case 'delivered':
      status = scenario;
      events.push(
        draftEvent({
          type: 'status_changed',
          actorType: 'staff',
          actorId: 'demo',
          data: { from: 'waiting', to: 'shipped', trackingUrl: 'https://tracking.example/1Z999' },
          occurredAt: at(Math.min(args.placedDaysAgo, 4)),
          lineIndex: 0,
        }),
      );
      if (scenario === 'delivered') {
        events.push(
          draftEvent({
            type: 'status_changed',
            actorType: 'system',
            actorId: 'carrier',
            data: { from: 'shipped', to: 'delivered' },
            occurredAt: at(Math.min(args.placedDaysAgo, 6)),
            lineIndex: 0,
          }),
        );
      }
      break;
    case 'cancelled_refunded': {
      status = 'cancelled';
      const cancelledAt = at(Math.min(args.placedDaysAgo, 3));
      const vestedOn = toCalendarDate(cancelledAt, STORE_TIME_ZONE);
      events.push(
        draftEvent({
          type: 'cancel_requested',
          actorType: 'customer',
          actorId: null,
          data: { scope: 'order' },
          occurredAt: cancelledAt,
          lineIndex: 0,
        }),
      );
      events.push(
        draftEvent({
          type: 'cancelled',
          actorType: 'customer',
          actorId: null,
          ruleSection: '435.2(c)',
          data: { reason: 'Customer cancelled before shipment' },
          occurredAt: cancelledAt,
          lineIndex: 0,
        }),
      );
      events.push(
        draftEvent({
          type: 'refund_requested',
          actorType: 'system',
          actorId: null,
          ruleSection: '435.1(b)',
          data: { amount: amountPaid + shippingPaid, currency: 'USD', dueOn: addDays(vestedOn, 9) },
          occurredAt: cancelledAt,
          lineIndex: 0,
        }),
      );
      events.push(
        draftEvent({
          type: 'refund_sent',
          actorType: 'staff',
          actorId: 'demo',
          data: { amount: amountPaid + shippingPaid, currency: 'USD', reference: `RF-${args.number}` },
          occurredAt: at(Math.min(args.placedDaysAgo, 5)),
          lineIndex: 0,
        }),
      );
      refundsOut.push({
        lineIndex: 0,
        amount: amountPaid + shippingPaid,
        currency: 'USD',
        status: 'sent',
        reason: 'Customer cancelled before shipment',
        ruleSection: '435.2(c)',
        vestedOn,
        dueOn: addDays(vestedOn, 9),
        reference: `RF-${args.number}`,
        sentOn: addDays(vestedOn, 2),
      });
      break;
    }
  }
  const refunded = scenario === 'cancelled_refunded' ? amountPaid : 0;
  return {
    order: {
      number: args.number,
      placedAt,
      completedAt: placedAt,
      currency: 'USD',
      paymentState: scenario === 'cancelled_refunded' ? 'refunded' : 'paid',
      shippingPaid,
      shippingRefunded: scenario === 'cancelled_refunded' ? shippingPaid : 0,
    },
    lines: [
      {
        lineNo: 1,
        sku: product.sku,
        name: product.name,
        kind: product.kind,
        status,
        quantity,
        unitPrice,
        amountPaid,
        amountRefunded: refunded,
        promisedBy,
        applicableTime: promisedBy,
        compliance: { notices, answers: [] },
        shipBy: isOpen(status) ? (notices[0]?.revisedDate ?? promisedBy) : null,
        etaFrom: eta[0] < today && status === 'waiting' ? today : eta[0],
        etaTo: eta[1],
        trackingUrl: scenario === 'shipped' || scenario === 'delivered' ? 'https://tracking.example/1Z999' : null,
      },
    ],
    events,
    refunds: refundsOut,
  };
}

/** How old an order in each scenario is, so its dates read true (late ones are past T = placed + 21 days). */
export function placedDaysAgoFor(scenario: Scenario, i: number): number {
  switch (scenario) {
    case 'on_time':
      return 2 + (i % 10);
    case 'delayed':
      return 5 + (i % 8);
    case 'late':
      return 24 + (i % 6);
    case 'ready':
      return 10 + (i % 5);
    case 'shipped':
      return 8 + (i % 6);
    case 'delivered':
      return 14 + (i % 8);
    case 'cancelled_refunded':
      return 6 + (i % 9);
  }
}
