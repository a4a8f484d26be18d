// Why a command refused, in English: the console, the CLI and the API's problem details say the same sentence.
import type { PaymentProblem } from '#src/domain/payment-split.ts';
import { isCleanText } from '#src/input/text.ts';
import { field, type RefusalCatalogue } from './catalogue.ts';

const FORBIDDEN = () => 'You are not allowed to do that.';

const listOf = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
/** Lines named by the platform's ids, for a refusal of an order upsert. */
const lines = (ids: readonly string[]) => `${ids.length === 1 ? 'line' : 'lines'} ${listOf(ids.map((id) => `"${id}"`))}`;
const has = (ids: readonly string[]) => (ids.length === 1 ? 'has' : 'have');
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const PAYMENT_PROBLEM: Record<PaymentProblem, string> = {
  deposit_missing: 'With charge "deposit", give the deposit taken (payment.deposit).',
  deposit_not_allowed: 'A deposit goes with charge "deposit" only.',
  deposit_exceeds_paid: 'The deposit is more than was paid for the goods (payment.paid less shipping).',
  deposit_without_waiting_line: 'A deposit is taken on preorder or backorder lines, and this order has none.',
};

export const REFUSALS_EN: RefusalCatalogue = {
  'add-note': {
    invalid_input: (r, raw) =>
      r.fields.includes('orderNumber')
        ? 'This order does not exist.'
        : isCleanText(field(raw, 'text'), { multiline: true })
          ? 'The note is too long: keep it to 1,000 characters.'
          : 'The note contains control characters that cannot be stored. Remove them and try again.',
    forbidden: FORBIDDEN,
    not_found: () => 'This order does not exist.',
    empty: () => 'Write the note first: it is empty.',
    too_long: () => 'The note is too long: keep it to 1,000 characters.',
  },
  'run-sweep': {
    invalid_input: () => 'The moment must be an ISO 8601 date and time with its offset, e.g. 2026-12-31T12:00:00Z.',
    forbidden: () => 'Only the store owner may run the sweep by hand.',
  },
  'upsert-order': {
    invalid_input: (r) =>
      r.fields.includes('orderNumber')
        ? 'That is not an order number: letters and digits with ".", "_" or "-" inside, at most 64 characters.'
        : `The order is not valid: check ${listOf(r.fields.map((f) => f.replaceAll('_', ' ')))}.`,
    forbidden: () => 'Creating and updating orders needs a staff sign-in or an API key with the write scope.',
    placed_in_future: () => 'placed_at is in the future: send the moment the customer placed the order.',
    duplicate_line_ids: (r) => `Each line needs its own id: ${lines(r.lineIds)} appear${r.lineIds.length === 1 ? 's' : ''} more than once.`,
    invalid_date: (r) => `${capital(lines(r.lineIds))} ${has(r.lineIds)} a date that does not exist (e.g. 30 February).`,
    eta_reversed: (r) => `${capital(lines(r.lineIds))} ${has(r.lineIds)} an ETA window that ends before it starts.`,
    eta_in_past: (r) => `${capital(lines(r.lineIds))} ${has(r.lineIds)} an ETA window that has already ended: give a window from today on.`,
    ship_by_passed: (r) =>
      `The ship-by date of ${lines(r.lineIds)} has already passed (promised_by, or 30 days after placed_at): the law would have the line cancelled and refunded at once. Record it shipped or cancelled on your platform, or state the promised date.`,
    payment_invalid: (r) => PAYMENT_PROBLEM[r.problem],
    currency_changed: (r) => `This order is in ${r.currency}: its currency cannot change.`,
    placed_at_changed: () => 'placed_at differs from the order as first sent: the moment an order was placed cannot change.',
    sku_changed: (r) =>
      `${capital(lines(r.lineIds))} already ${r.lineIds.length === 1 ? 'has' : 'have'} another SKU: send a new line id for another product.`,
    promised_by_changed: (r) =>
      `The ship-by date promised at checkout never changes (16 CFR 435.2(a)(1)): ${lines(r.lineIds)} already ${r.lineIds.length === 1 ? 'has' : 'have'} another. Move the ETA instead.`,
  },
};
