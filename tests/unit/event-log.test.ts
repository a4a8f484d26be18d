// The event log's one union: every type's data has a schema, is validated when written, and reads back as written.
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_EVENT_TYPES,
  EVENT_TYPES,
  type EventData,
  type EventType,
  eventData,
  eventRow,
  NOTICE_KINDS,
  type OrderEvent,
  orderEventSchema,
  storedEvent,
} from '#src/domain/events.ts';
import { DelayAction } from '#src/domain/ftc-rule.ts';

const move = {
  from: { from: '2026-12-01', to: '2026-12-05' },
  to: { from: '2027-01-10', to: '2027-01-15' },
  reason: 'Glass shades failed inspection',
  classification: 'first_notice_express_consent',
} as const;

/** One event of every type, as its writer builds it; a type without a sample here does not compile. */
const SAMPLES: { [T in EventType]: EventData<T> } = {
  order_created: { lines: 2 },
  status_changed: { from: 'waiting', to: 'shipped', trackingUrl: 'https://tracking.example/1Z999' },
  eta_changed: { ...move, classification: 'no_notice' },
  delay_notice_sent: {
    kind: 'first',
    sentOn: '2026-11-23',
    revisedDate: null,
    silenceMeans: 'refusal',
    deadline: '2026-12-31',
    reason: move.reason,
    action: 'first_notice_express_consent',
    noticeIndex: 0,
    sendBy: '2026-12-02T05:00:00.000Z',
    changed: move,
  },
  consent_given: { via: 'link', noticeIndex: 0, consentedUntil: null },
  cancel_requested: { via: 'order_page', lineIds: [4, 5], scope: 'lines' },
  cancelled: { reason: 'Cancelled by the customer before shipment', from: 'waiting' },
  refund_requested: { refundId: 7, amount: 10490, currency: 'USD', dueOn: '2026-12-14', vestedOn: '2026-12-03', lineIds: [4] },
  refund_sent: { refundId: 7, amount: 10490, currency: 'USD', reference: 'RF-7', sentOn: '2026-12-05', dueOn: '2026-12-14' },
  line_added: { sku: 'AUR-LAMP', name: 'Aurora desk lamp', quantity: 1 },
  line_changed: { quantity: { from: 2, to: 1 }, name: { from: 'Lamp', to: 'Aurora desk lamp' } },
  payment_changed: {
    from: { paid: 8900, shipping: 0, deposit: null, charge: 'paid' },
    to: { paid: 17800, shipping: 0, deposit: null, charge: 'paid' },
  },
  refund_failed: { refundId: 7, amount: 10490, currency: 'USD', reason: 'card expired', dueOn: '2026-12-14' },
  customer_note: { text: 'We packed a spare bulb for you.' },
  at_risk: { shipBy: '2026-12-20', daysLeft: 3 },
  refund_overdue: { refundId: 7, dueOn: '2026-12-14', amount: 10490 },
  updates_unsubscribed: {},
};

const sample = (type: EventType) => ({ type, data: SAMPLES[type] }) as OrderEvent;

describe('every event type', () => {
  it.each(EVENT_TYPES)('%s: its data is validated when written and reads back as written (through JSON, as jsonb stores it)', (type) => {
    const row = eventRow(sample(type));
    expect(row).toEqual({ type, data: SAMPLES[type] });
    const stored = JSON.parse(JSON.stringify(row)) as { type: string; data: Record<string, unknown> };
    expect(orderEventSchema.parse(stored)).toEqual(sample(type));
    expect(storedEvent(stored)).toEqual(sample(type));
  });

  it('the union names each type once, and customers see all but the staff-only bookkeeping', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(EVENT_TYPES.filter((t) => !CUSTOMER_EVENT_TYPES.includes(t as never))).toEqual([
      'at_risk',
      'refund_overdue',
      'updates_unsubscribed',
    ]);
  });
});

describe('a writer that builds the wrong data is refused before anything is written', () => {
  it('a value of the wrong kind', () => {
    expect(() => eventRow({ type: 'status_changed', data: { from: 'waiting', to: 'lost' } } as never)).toThrow();
    expect(() => eventData('refund_requested', { amount: 10.5, dueOn: '2026-12-14' })).toThrow();
    expect(() => eventData('at_risk', { shipBy: '2026-02-30', daysLeft: 3 })).toThrow();
  });

  it('a missing key, or a key the type does not have', () => {
    expect(() => eventRow({ type: 'customer_note', data: {} } as never)).toThrow();
    expect(() => eventRow({ type: 'customer_note', data: { text: 'hi', note: 'hi' } } as never)).toThrow();
  });

  it('at compile time too', () => {
    // @ts-expect-error: a status the line machine does not have
    expect(() => eventRow({ type: 'status_changed', data: { from: 'waiting', to: 'lost' } })).toThrow();
    // @ts-expect-error: a key customer notes do not have
    expect(() => eventRow({ type: 'customer_note', data: { text: 'hi', note: 'hi' } })).toThrow();
  });
});

describe('reading', () => {
  it('a row of a type this code does not know is no event of the union', () => {
    expect(storedEvent({ type: 'refund_reversed', data: {} })).toBeNull();
    expect(storedEvent({ type: 'toString', data: {} })).toBeNull();
  });
});

describe('one name per notice kind', () => {
  it("the event's notice kinds are the rule's classification names", () => {
    expect(NOTICE_KINDS).toEqual([
      DelayAction.FirstNoticeSilenceConsents,
      DelayAction.FirstNoticeExpressConsent,
      DelayAction.RenewedNotice,
    ]);
  });
});
