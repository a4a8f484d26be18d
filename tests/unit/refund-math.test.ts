// Specification of refund arithmetic in minor units (src/domain/refund-math.ts): exact, never more than paid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RefundLine } from '../../src/domain/refund-math.ts';
import { allocateShipping, refundForCancelledLines } from '../../src/domain/refund-math.ts';

describe('allocateShipping', () => {
  it.each([
    ['exact proportions', [1000, 2000, 3000], 600, [100, 200, 300]],
    ['equal lines, indivisible amount: remainder to the earliest', [1, 1, 1], 100, [34, 33, 33]],
    ['largest remainder wins', [1, 2], 10, [3, 7]],
    ['all lines free: split evenly', [0, 0], 5, [3, 2]],
    ['a free line gets no shipping', [0, 500], 99, [0, 99]],
    ['zero shipping', [100, 200], 0, [0, 0]],
    ['one line takes everything', [1234], 499, [499]],
    ['large amounts stay exact', [9_000_000_000_000, 1], 9_000_000_000_000, [8_999_999_999_999, 1]],
  ])('%s', (_name, paid, shipping, expected) => {
    const lines = paid.map((amountPaid, i) => ({ id: `l${i}`, amountPaid }));
    expect(allocateShipping(lines, shipping)).toEqual(expected.map((amount, i) => ({ id: `l${i}`, amount })));
  });

  it('no lines and no shipping is an empty split', () => {
    expect(allocateShipping([], 0)).toEqual([]);
  });

  it.each([
    ['shipping with no lines', [], 5],
    ['negative shipping', [{ id: 'a', amountPaid: 1 }], -1],
    ['fractional shipping', [{ id: 'a', amountPaid: 1 }], 1.5],
    ['negative line', [{ id: 'a', amountPaid: -1 }], 1],
    [
      'duplicate ids',
      [
        { id: 'a', amountPaid: 1 },
        { id: 'a', amountPaid: 2 },
      ],
      1,
    ],
  ])('rejects %s', (_name, lines, shipping) => {
    expect(() => allocateShipping(lines, shipping)).toThrow(RangeError);
  });

  it('parts are non-negative and sum to the shipping exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000_000 }), { minLength: 1, maxLength: 12 }), fc.nat({ max: 1_000_000 }), (paid, shipping) => {
        const parts = allocateShipping(
          paid.map((amountPaid, i) => ({ id: `l${i}`, amountPaid })),
          shipping,
        );
        expect(parts.reduce((a, p) => a + p.amount, 0)).toBe(shipping);
        for (const p of parts) expect(p.amount).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('refundForCancelledLines', () => {
  const lines = (cancelled: string[], refunded: Record<string, number> = {}): RefundLine[] => [
    { id: 'a', amountPaid: 3000, amountRefunded: refunded.a ?? 0, cancelled: cancelled.includes('a') },
    { id: 'b', amountPaid: 1000, amountRefunded: refunded.b ?? 0, cancelled: cancelled.includes('b') },
  ];
  it.each([
    ['nothing cancelled', { lines: lines([]), shippingPaid: 400, shippingRefunded: 0 }, { lines: [], shipping: 0, total: 0 }],
    [
      'one line: its price and its shipping share',
      { lines: lines(['b']), shippingPaid: 400, shippingRefunded: 0 },
      { lines: [{ id: 'b', amount: 1000 }], shipping: 100, total: 1100 },
    ],
    [
      'the rest later: the remaining line and the remaining shipping',
      { lines: lines(['a', 'b'], { b: 1000 }), shippingPaid: 400, shippingRefunded: 100 },
      {
        lines: [
          { id: 'a', amount: 3000 },
          { id: 'b', amount: 0 },
        ],
        shipping: 300,
        total: 3300,
      },
    ],
    [
      'everything at once: everything tendered',
      { lines: lines(['a', 'b']), shippingPaid: 400, shippingRefunded: 0 },
      {
        lines: [
          { id: 'a', amount: 3000 },
          { id: 'b', amount: 1000 },
        ],
        shipping: 400,
        total: 4400,
      },
    ],
    [
      'a partly refunded line refunds the difference',
      { lines: lines(['a'], { a: 500 }), shippingPaid: 400, shippingRefunded: 0 },
      { lines: [{ id: 'a', amount: 2500 }], shipping: 300, total: 2800 },
    ],
    [
      'shipping already refunded in full is not refunded again',
      { lines: lines(['b']), shippingPaid: 400, shippingRefunded: 400 },
      { lines: [{ id: 'b', amount: 1000 }], shipping: 0, total: 1000 },
    ],
    [
      'free shipping',
      { lines: lines(['a']), shippingPaid: 0, shippingRefunded: 0 },
      { lines: [{ id: 'a', amount: 3000 }], shipping: 0, total: 3000 },
    ],
  ])('%s', (_name, input, expected) => {
    expect(refundForCancelledLines(input)).toEqual(expected);
  });

  it.each([
    [
      'a line refunded more than paid',
      { lines: [{ id: 'a', amountPaid: 1, amountRefunded: 2, cancelled: true }], shippingPaid: 0, shippingRefunded: 0 },
    ],
    ['shipping refunded more than paid', { lines: lines(['a']), shippingPaid: 10, shippingRefunded: 11 }],
    [
      'a fractional amount',
      { lines: [{ id: 'a', amountPaid: 1.5, amountRefunded: 0, cancelled: true }], shippingPaid: 0, shippingRefunded: 0 },
    ],
  ])('rejects %s', (_name, input) => {
    expect(() => refundForCancelledLines(input)).toThrow(RangeError);
  });

  const orderArb = fc.record({
    lines: fc
      .array(
        fc.record({
          amountPaid: fc.nat({ max: 5_000_000 }),
          refundedPart: fc.double({ min: 0, max: 1, noNaN: true }),
          cancelled: fc.boolean(),
        }),
        {
          minLength: 1,
          maxLength: 10,
        },
      )
      .map((ls) =>
        ls.map((l, i) => ({
          id: `l${i}`,
          amountPaid: l.amountPaid,
          amountRefunded: Math.floor(l.amountPaid * l.refundedPart),
          cancelled: l.cancelled,
        })),
      ),
    shippingPaid: fc.nat({ max: 100_000 }),
    shippingRefundedPart: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it('never refunds more than is outstanding; cancelling everything refunds exactly what is outstanding (property)', () => {
    fc.assert(
      fc.property(orderArb, ({ lines: ls, shippingPaid, shippingRefundedPart }) => {
        const shippingRefunded = Math.floor(shippingPaid * shippingRefundedPart);
        const outstanding = ls.reduce((a, l) => a + l.amountPaid - l.amountRefunded, 0) + shippingPaid - shippingRefunded;
        const some = refundForCancelledLines({ lines: ls, shippingPaid, shippingRefunded });
        expect(some.total).toBe(some.lines.reduce((a, l) => a + l.amount, 0) + some.shipping);
        expect(some.total).toBeLessThanOrEqual(outstanding);
        expect(some.shipping).toBeGreaterThanOrEqual(0);
        const all = refundForCancelledLines({ lines: ls.map((l) => ({ ...l, cancelled: true })), shippingPaid, shippingRefunded });
        expect(all.total).toBe(outstanding);
      }),
    );
  });

  it('cancelling lines one by one, in any order, refunds everything tendered exactly with no drift (property)', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.nat({ max: 5_000_000 }), { minLength: 1, maxLength: 10 })
          .chain((paid) =>
            fc.tuple(fc.constant(paid), fc.shuffledSubarray([...paid.keys()], { minLength: paid.length, maxLength: paid.length })),
          ),
        fc.nat({ max: 100_000 }),
        ([paid, order], shippingPaid) => {
          const ls: RefundLine[] = paid.map((amountPaid, i) => ({ id: `l${i}`, amountPaid, amountRefunded: 0, cancelled: false }));
          let shippingRefunded = 0;
          let refunded = 0;
          for (const idx of order) {
            ls[idx] = { ...(ls[idx] as RefundLine), cancelled: true };
            const r = refundForCancelledLines({ lines: ls, shippingPaid, shippingRefunded });
            for (const part of r.lines) {
              const i = ls.findIndex((l) => l.id === part.id);
              const l = ls[i] as RefundLine;
              ls[i] = { ...l, amountRefunded: l.amountRefunded + part.amount };
            }
            shippingRefunded += r.shipping;
            refunded += r.total;
            expect(shippingRefunded).toBeLessThanOrEqual(shippingPaid);
          }
          expect(refunded).toBe(paid.reduce((a, b) => a + b, 0) + shippingPaid);
          expect(shippingRefunded).toBe(shippingPaid);
        },
      ),
    );
  });
});
