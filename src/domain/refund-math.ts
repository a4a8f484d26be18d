// Refund arithmetic in integer minor units: shipping allocation and refunds for cancelled lines (435.1(b) guidance).

export type PaidLine = { id: string; amountPaid: number };
export type Share = { id: string; amount: number };

function assertMinor(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer in minor units: ${value}`);
}

function assertUniqueIds(ids: readonly string[]): void {
  if (new Set(ids).size !== ids.length) throw new RangeError('Line ids must be unique');
}

/**
 * Split `total` across `weights` in proportion, by the largest-remainder method, so the parts sum exactly to
 * `total`. Ties go to the earlier entry. With all weights zero the split is even.
 */
function largestRemainder(weights: readonly number[], total: number): number[] {
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('Cannot allocate a non-zero amount across no lines');
    return [];
  }
  const w = weights.every((x) => x === 0) ? weights.map(() => 1n) : weights.map((x) => BigInt(x));
  const sum = w.reduce((a, b) => a + b, 0n);
  const t = BigInt(total);
  const base = w.map((x) => (t * x) / sum);
  const rem = w.map((x) => (t * x) % sum);
  let left = Number(t - base.reduce((a, b) => a + b, 0n));
  const order = rem.map((r, i) => ({ r, i })).sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const out = base.map((b) => Number(b));
  for (const { i } of order) {
    if (left === 0) break;
    out[i] = (out[i] as number) + 1;
    left -= 1;
  }
  return out;
}

/** Split `shippingPaid` across lines in proportion to what each line paid; the parts sum to `shippingPaid` exactly. */
export function allocateShipping(lines: readonly PaidLine[], shippingPaid: number): Share[] {
  assertMinor(shippingPaid, 'shippingPaid');
  for (const l of lines) assertMinor(l.amountPaid, `amountPaid of ${l.id}`);
  assertUniqueIds(lines.map((l) => l.id));
  const parts = largestRemainder(
    lines.map((l) => l.amountPaid),
    shippingPaid,
  );
  return lines.map((l, i) => ({ id: l.id, amount: parts[i] as number }));
}

export type RefundLine = { id: string; amountPaid: number; amountRefunded: number; cancelled: boolean };

export type RefundInput = {
  /** Every line of the order (cancelled or not), so shipping shares are stable as lines are cancelled one by one. */
  lines: readonly RefundLine[];
  shippingPaid: number;
  shippingRefunded: number;
};

export type RefundResult = {
  /** The amount to refund now for each cancelled line (what it paid less what was already refunded). */
  lines: Share[];
  /** Shipping to refund now: the cancelled lines' shares less shipping already refunded (never negative). */
  shipping: number;
  total: number;
};

/**
 * What to refund now for the cancelled lines: everything tendered for them, shipping included (435.1(b) guidance:
 * refund everything tendered; for a partial shipment, the difference). Shares are cumulative: the shipping refunded
 * after any sequence of cancellations equals the cancelled lines' shares, so cancelling every line, all at once or
 * one by one, refunds everything tendered exactly and never more than was paid.
 */
export function refundForCancelledLines(input: RefundInput): RefundResult {
  assertMinor(input.shippingPaid, 'shippingPaid');
  assertMinor(input.shippingRefunded, 'shippingRefunded');
  if (input.shippingRefunded > input.shippingPaid) throw new RangeError('shippingRefunded exceeds shippingPaid');
  for (const l of input.lines) {
    assertMinor(l.amountPaid, `amountPaid of ${l.id}`);
    assertMinor(l.amountRefunded, `amountRefunded of ${l.id}`);
    if (l.amountRefunded > l.amountPaid) throw new RangeError(`amountRefunded exceeds amountPaid for ${l.id}`);
  }
  const shares = allocateShipping(input.lines, input.shippingPaid);
  const lines: Share[] = [];
  let shippingTarget = 0;
  input.lines.forEach((l, i) => {
    if (!l.cancelled) return;
    lines.push({ id: l.id, amount: l.amountPaid - l.amountRefunded });
    shippingTarget += (shares[i] as Share).amount;
  });
  const shipping = Math.max(0, shippingTarget - input.shippingRefunded);
  const total = lines.reduce((a, l) => a + l.amount, 0) + shipping;
  return { lines, shipping, total };
}

export type OrderShipping = { shippingPaid: number; shippingRefunded: number };
export type OrderMoneyLine = { id: number; status: string; amountPaid: number; amountRefunded: number };

/**
 * 435.1(b): what cancelling `cancelIds` would refund now: everything tendered for those lines, their share of
 * shipping included, less what earlier cancellations of this order already owe. The one rule for every preview, every
 * message and the cancellation itself, so what a customer or staff member is shown is what is owed.
 */
export function refundOwed(order: OrderShipping, lines: readonly OrderMoneyLine[], cancelIds: ReadonlySet<number>): RefundResult {
  return refundForCancelledLines({
    lines: lines.map((l) => ({
      id: String(l.id),
      amountPaid: l.amountPaid,
      amountRefunded: l.amountRefunded,
      cancelled: l.status === 'cancelled' || cancelIds.has(l.id),
    })),
    shippingPaid: order.shippingPaid,
    shippingRefunded: order.shippingRefunded,
  });
}
