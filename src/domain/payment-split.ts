// What each line of an order was paid, from the payment a shop platform states for the whole order (minor units).
//
// The statement: `paid` is everything the customer tendered so far, shipping included (refunds not deducted);
// `shipping` the shipping charged; `charge` how the goods are charged: all at checkout (`paid`), a deposit now and
// the balance later (`deposit`, with the deposit's amount), or on shipment (`on_ship`: an authorisation, usually
// nothing tendered yet). Shipping is taken from `paid` first. The rest is split across the lines in proportion to
// their totals (quantity × unit price), so taxes and discounts the platform folded into `paid` land on the lines
// they belong to and a refund gives back everything tendered (435.1(b) guidance). With a deposit, the deposit goes
// to the waiting lines (preorder, backorder) and the rest to the in-stock lines (to the waiting lines when there are
// none). Lines already settled (shipped, delivered, cancelled) keep what they were paid: only open lines are split.
import { allocateShipping } from './refund-math.ts';

export const PAYMENT_CHARGES = ['paid', 'deposit', 'on_ship'] as const;
export type PaymentCharge = (typeof PAYMENT_CHARGES)[number];

/** The payment of an order as the platform states it. */
export type PaymentStatement = { paid: number; shipping: number; deposit: number | null; charge: PaymentCharge };

export type SplitLine = {
  key: string;
  /** Waits for stock (preorder or backorder) rather than in stock. */
  waiting: boolean;
  /** Quantity × unit price. */
  total: number;
  /** A shipped, delivered or cancelled line's recorded amounts: kept as they are. */
  settled: { amountPaid: number; isDeposit: boolean } | null;
};

export type LinePayment = { amountPaid: number; isDeposit: boolean };

export const PAYMENT_PROBLEMS = ['deposit_missing', 'deposit_not_allowed', 'deposit_exceeds_paid', 'deposit_without_waiting_line'] as const;
export type PaymentProblem = (typeof PAYMENT_PROBLEMS)[number];

export type PaymentSplit =
  | { ok: true; shippingPaid: number; lines: Map<string, LinePayment>; paymentState: 'paid' | 'authorized' }
  | { ok: false; problem: PaymentProblem };

/** Problems the statement has on its own, before any line is looked at. */
export function paymentProblem(p: PaymentStatement): PaymentProblem | null {
  if (p.charge === 'deposit' && p.deposit === null) return 'deposit_missing';
  if (p.charge !== 'deposit' && p.deposit !== null) return 'deposit_not_allowed';
  if (p.deposit !== null && p.deposit > p.paid - Math.min(p.shipping, p.paid)) return 'deposit_exceeds_paid';
  return null;
}

function split(lines: readonly SplitLine[], pool: number): Map<string, number> {
  const shares = allocateShipping(
    lines.map((l) => ({ id: l.key, amountPaid: l.total })),
    lines.length === 0 ? 0 : pool,
  );
  return new Map(shares.map((s) => [s.id, s.amount]));
}

export function splitPayment(p: PaymentStatement, lines: readonly SplitLine[]): PaymentSplit {
  const problem = paymentProblem(p);
  if (problem) return { ok: false, problem };
  const shippingPaid = Math.min(p.shipping, p.paid);
  const goods = p.paid - shippingPaid;
  const open = lines.filter((l) => l.settled === null);
  const settledDeposit = lines.reduce((n, l) => n + (l.settled?.isDeposit ? l.settled.amountPaid : 0), 0);
  const settledOther = lines.reduce((n, l) => n + (l.settled && !l.settled.isDeposit ? l.settled.amountPaid : 0), 0);
  const out = new Map<string, LinePayment>();
  for (const l of lines) if (l.settled) out.set(l.key, { ...l.settled });
  if (p.charge === 'deposit') {
    const deposit = p.deposit ?? 0;
    const waiting = open.filter((l) => l.waiting);
    const inStock = open.filter((l) => !l.waiting);
    if (waiting.length === 0 && !lines.some((l) => l.waiting)) return { ok: false, problem: 'deposit_without_waiting_line' };
    const depositPool = Math.max(0, deposit - settledDeposit);
    const restPool = Math.max(0, goods - deposit - settledOther);
    const toWaiting = split(waiting, depositPool + (inStock.length === 0 ? restPool : 0));
    const toStock = split(inStock, restPool);
    for (const l of waiting) {
      const amountPaid = toWaiting.get(l.key) ?? 0;
      out.set(l.key, { amountPaid, isDeposit: amountPaid < l.total });
    }
    for (const l of inStock) out.set(l.key, { amountPaid: toStock.get(l.key) ?? 0, isDeposit: false });
  } else {
    const shares = split(open, Math.max(0, goods - settledDeposit - settledOther));
    for (const l of open) out.set(l.key, { amountPaid: shares.get(l.key) ?? 0, isDeposit: false });
  }
  return { ok: true, shippingPaid, lines: out, paymentState: p.charge === 'paid' ? 'paid' : 'authorized' };
}
