// Specification of the payment split: what each line of an order was paid, from the order's payment statement.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PaymentStatement, type SplitLine, splitPayment } from '#src/domain/payment-split.ts';

const line = (key: string, total: number, waiting = true, settled: SplitLine['settled'] = null): SplitLine => ({
  key,
  waiting,
  total,
  settled,
});
const paid = (paid: number, over: Partial<PaymentStatement> = {}): PaymentStatement => ({
  paid,
  shipping: 0,
  deposit: null,
  charge: 'paid',
  ...over,
});

describe('splitPayment', () => {
  it('takes shipping first and splits the rest by line totals, taxes included', () => {
    const r = splitPayment(paid(11_000, { shipping: 1000 }), [line('a', 6000), line('b', 3000, false)]);
    expect(r).toEqual({
      ok: true,
      shippingPaid: 1000,
      paymentState: 'paid',
      lines: new Map([
        ['a', { amountPaid: 6667, isDeposit: false }],
        ['b', { amountPaid: 3333, isDeposit: false }],
      ]),
    });
  });

  it('puts a deposit on the waiting lines and the rest on the in-stock ones', () => {
    const r = splitPayment(paid(7000, { deposit: 2000, charge: 'deposit' }), [line('a', 8000), line('b', 5000, false)]);
    expect(r.ok && [...r.lines]).toEqual([
      ['a', { amountPaid: 2000, isDeposit: true }],
      ['b', { amountPaid: 5000, isDeposit: false }],
    ]);
    expect(r.ok && r.paymentState).toBe('authorized');
  });

  it('keeps what settled lines were paid and splits the rest over the open ones', () => {
    const r = splitPayment(paid(9000), [line('a', 3000, true, { amountPaid: 4000, isDeposit: false }), line('b', 3000), line('c', 3000)]);
    expect(r.ok && [...r.lines.values()].map((l) => l.amountPaid)).toEqual([4000, 2500, 2500]);
  });

  it.each([
    [paid(100, { charge: 'deposit' }), 'deposit_missing'],
    [paid(100, { deposit: 10 }), 'deposit_not_allowed'],
    [paid(100, { shipping: 50, deposit: 60, charge: 'deposit' }), 'deposit_exceeds_paid'],
  ] as const)('refuses %j: %s', (statement, problem) => {
    expect(splitPayment(statement, [line('a', 100)])).toEqual({ ok: false, problem });
  });

  it('tendered money is never lost or invented: shipping plus the lines is what was paid (open lines only)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ total: fc.nat(1_000_000), waiting: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        fc.nat(10_000_000),
        fc.nat(5000),
        (lines, paidAmount, shipping) => {
          const r = splitPayment(
            paid(paidAmount, { shipping }),
            lines.map((l, i) => line(String(i), l.total, l.waiting)),
          );
          if (!r.ok) throw new Error(r.problem);
          const sum = [...r.lines.values()].reduce((n, l) => n + l.amountPaid, 0);
          expect(sum + r.shippingPaid).toBe(paidAmount);
          expect([...r.lines.values()].every((l) => Number.isSafeInteger(l.amountPaid) && l.amountPaid >= 0)).toBe(true);
        },
      ),
    );
  });
});
