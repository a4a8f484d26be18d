// Why a command refused, in English: the console, the CLI and the API's problem details say the same sentence.
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '#src/auth/passwords.ts';
import type { PaymentProblem } from '#src/domain/payment-split.ts';
import { isCleanText } from '#src/input/text.ts';
import { en } from '../en.ts';
import { LINE_STATUS_LABELS } from '../line-status-labels.ts';
import { field, type RefusalCatalogue } from './catalogue.ts';

const FORBIDDEN = () => 'You are not allowed to do that.';
/** A customer's answer the link or order page does not grant: the words of an expired link. */
const LINK_EXPIRED = () => en['respond.expired'];
const ITEM_NOT_FOUND = () => 'We could not find this item.';
const ITEM_NOT_OPEN = () => 'This item has already shipped or was cancelled, so there is nothing to change.';
const NO_SUCH_REFUND = (_r: unknown, raw: Readonly<Record<string, unknown>>) =>
  field(raw, 'orderNumber') ? 'This order has no such refund.' : 'There is no such refund.';
const REFUND_ALREADY_SENT = () => 'That refund is already marked as sent. Nothing changed.';
const REPORT_ALREADY_RECORDED = () => 'That report was already recorded. Nothing changed.';

import { SIGN_IN_LIMITS } from '#src/staff/staff-accounts.ts';
import { SETTINGS_LABELS_EN, SETTINGS_PROBLEMS_EN } from '../store-settings-en.ts';

const STAFF_FORM_NOT_UNDERSTOOD = () => 'The form was not understood. Reload the page and try again.';
const OWNER_ONLY = () => 'Only an owner may do this.';
const STAFF_GONE = () => 'That staff member no longer exists.';
const NOT_SELF = () => 'You cannot change your own role or remove yourself. Ask another owner.';
const LAST_OWNER = () => 'The store needs at least one owner: make someone else an owner first.';
const FILL_IN = () => 'Fill in every field.';

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
  'change-line-status': {
    invalid_input: (r) =>
      r.fields.includes('orderNumber')
        ? 'This order does not exist.'
        : r.fields.includes('trackingUrl')
          ? 'The tracking link must be a full web address starting with https:// or http://.'
          : 'Choose a line and a new status.',
    forbidden: FORBIDDEN,
    not_found: (_, raw) => `This order has no line ${field(raw, 'lineNo')}.`,
    use_cancel: () => 'To cancel a line, use “Cancel and refund”: it works out the refund first.',
    tracking_without_shipping: () => 'A tracking link goes with shipping: choose “Shipped”, or leave the tracking link empty.',
    same_status: (r, raw) => `Line ${field(raw, 'lineNo')} is already ${LINE_STATUS_LABELS[r.to].toLowerCase()}. Nothing changed.`,
    not_allowed: (r, raw) =>
      `Line ${field(raw, 'lineNo')} is ${LINE_STATUS_LABELS[r.from].toLowerCase()}; it cannot become ${LINE_STATUS_LABELS[r.to].toLowerCase()}. Nothing changed.`,
  },
  'staff-cancel': {
    invalid_input: (r) =>
      r.fields.includes('orderNumber')
        ? 'This order does not exist.'
        : r.fields.includes('lineNo')
          ? 'Choose what to cancel.'
          : 'Give a reason for the cancellation (at most 500 characters, without control characters): the customer is told.',
    forbidden: FORBIDDEN,
    not_found: (_, raw) => (/^[0-9]/.test(field(raw, 'lineNo')) ? 'There is no such line on this order.' : 'This order does not exist.'),
    nothing_to_cancel: () => 'Nothing was cancelled: the line has already shipped or was cancelled.',
  },
  'move-line-eta': {
    invalid_input: (r) =>
      r.fields.includes('orderNumber')
        ? 'This order does not exist.'
        : 'Enter the dates as calendar dates and a reason of at most 500 characters, without control characters.',
    forbidden: FORBIDDEN,
    not_found: (_, raw) => `This order has no line ${field(raw, 'lineNo')}.`,
    invalid_date: () => 'One of the dates is not a real date.',
    from_after_to: () => 'The first date is after the last one: “Ships from” must be on or before “Ships by”.',
    reason_required: () => 'Give the reason for the move: the customer reads it.',
    not_open: (_, raw) => `Line ${field(raw, 'lineNo')} has shipped or was cancelled, so its ETA cannot move.`,
    date_in_past: () => 'The new ship-by date is in the past. Choose today or a later date.',
  },
  // Also the words of a failed SKU-move job (`describeSkuMoveRefusal`): the job records the move's reason.
  'move-sku-eta': {
    invalid_input: (r) => (r.fields.includes('sku') ? 'There is no such SKU.' : 'Enter real dates (YYYY-MM-DD).'),
    forbidden: FORBIDDEN,
    not_found: () => 'This SKU no longer exists.',
    invalid_date: () => 'Enter real dates (YYYY-MM-DD).',
    from_after_to: () => '"From" is after "to".',
    reason_required: () => 'Give a reason: customers are told why.',
    date_in_past: () => 'The new date is already in the past.',
    no_date: () => 'Enter a date, or tick "no date can be given".',
  },
  'consent-to-delay': {
    invalid_input: LINK_EXPIRED,
    forbidden: LINK_EXPIRED,
    not_found: ITEM_NOT_FOUND,
    not_open: ITEM_NOT_OPEN,
    nothing_to_answer: () => 'There is no delay notice to answer for this item.',
    deadline_passed: () => 'The time to agree has passed: this item is being cancelled and refunded in full.',
  },
  'customer-cancel': {
    invalid_input: LINK_EXPIRED,
    forbidden: LINK_EXPIRED,
    not_found: ITEM_NOT_FOUND,
    not_open: ITEM_NOT_OPEN,
    not_allowed: () => 'This store does not accept cancellations of items that are on schedule. Contact us if you need help.',
  },
  'unsubscribe-updates': {
    invalid_input: () => en['unsubscribe.expired.body'],
    forbidden: () => en['unsubscribe.expired.body'],
    not_found: () => en['unsubscribe.expired.body'],
  },
  'mark-refund-sent': {
    invalid_input: (r) =>
      r.fields.includes('orderNumber')
        ? 'This order has no such refund.'
        : 'Enter the payment reference (at most 200 characters, without control characters) and the date the refund was sent.',
    forbidden: FORBIDDEN,
    not_found: NO_SUCH_REFUND,
    already_sent: REFUND_ALREADY_SENT,
    reference_required: () => 'Enter the payment reference of the refund (from your payment provider).',
    invalid_date: () => 'The date the refund was sent is not a real date.',
    date_in_future: () => 'The date the refund was sent is in the future. Record it once it has been sent.',
    // Only a platform's callback names a delivery; listed so every reason has its words.
    duplicate_delivery: REPORT_ALREADY_RECORDED,
  },
  // The shop platform reads these in the callback's answer: the field at fault first, as in a validation error.
  'record-refund-callback': {
    invalid_input: (r) => r.fields.map((f) => `${f}: missing or not valid`).join('; '),
    forbidden: FORBIDDEN,
    not_found: () => 'unknown refund',
    refund_mismatch: () => 'refundId: does not match the refund in the address',
    already_sent: REFUND_ALREADY_SENT,
    duplicate_delivery: REPORT_ALREADY_RECORDED,
    reference_required: () => 'reference: is required',
    reason_required: () => 'reason: is required',
    invalid_date: () => 'sentOn: not a real date',
    date_in_future: () => "sentOn: after today in the store's time zone",
  },
  'create-staff': {
    invalid_input: STAFF_FORM_NOT_UNDERSTOOD,
    forbidden: OWNER_ONLY,
    invalid_email: () => 'Enter an e-mail address such as sam@yourshop.com.',
    invalid_name: () => 'Enter their name, 1 to 100 characters.',
    invalid_role: () => 'Choose owner or agent.',
    password_too_short: () => `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`,
    password_too_long: () => `Choose a password of at most ${PASSWORD_MAX_LENGTH} characters.`,
    email_taken: () => 'There is already a staff account with this e-mail address.',
  },
  'change-staff-role': {
    invalid_input: STAFF_FORM_NOT_UNDERSTOOD,
    forbidden: OWNER_ONLY,
    invalid_role: () => 'Choose owner or agent.',
    not_found: STAFF_GONE,
    self: NOT_SELF,
    last_owner: LAST_OWNER,
  },
  'remove-staff': {
    invalid_input: STAFF_FORM_NOT_UNDERSTOOD,
    forbidden: OWNER_ONLY,
    not_found: STAFF_GONE,
    self: NOT_SELF,
    last_owner: LAST_OWNER,
  },
  'change-password': {
    invalid_input: FILL_IN,
    forbidden: FORBIDDEN,
    mismatch: () => 'The two new passwords are not the same.',
    wrong_password: () => 'Your current password is not right.',
    rate_limited: () => `Too many wrong passwords. Try again in ${SIGN_IN_LIMITS.windowMs / 60_000} minutes.`,
    password_too_short: () => `Choose a new password of at least ${PASSWORD_MIN_LENGTH} characters.`,
    password_too_long: () => `Choose a new password of at most ${PASSWORD_MAX_LENGTH} characters.`,
    // The account was removed while its session was still open (removal ends its sessions, so rarely seen).
    not_found: FILL_IN,
  },
  'set-up-first-owner': {
    invalid_input: FILL_IN,
    forbidden: () => 'This page needs the setup link the server printed when it started.',
    mismatch: () => 'The two passwords are not the same.',
    invalid_email: () => 'Enter a valid e-mail address, like you@yourshop.com.',
    invalid_name: () => 'Enter your name (up to 100 characters).',
    password_too_short: () => `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a good one.`,
    password_too_long: () => `Choose a password of at most ${PASSWORD_MAX_LENGTH} characters.`,
    setup_done: () => 'The store already has an owner: sign in instead.',
  },
  'update-store-settings': {
    invalid_input: () => 'Nothing was saved: the form was not understood.',
    forbidden: OWNER_ONLY,
    invalid: (r) => {
      const fields = Object.entries(r.errors).map(
        ([f, problem]) => `${SETTINGS_LABELS_EN[f as keyof typeof SETTINGS_LABELS_EN]}: ${SETTINGS_PROBLEMS_EN[problem]}`,
      );
      return `Nothing was saved. Fix ${fields.length === 1 ? 'this field' : `these ${fields.length} fields`}: ${fields.join(' ')}`;
    },
    not_found: () => 'The store has no settings yet: run the migrations and the seed (npm start does both).',
  },
  'record-delivery': {
    invalid_input: (r) => `The delivery report is not valid (${r.fields.join(', ')}).`,
    forbidden: FORBIDDEN,
  },
  'create-api-key': {
    invalid_input: (r) =>
      r.fields.includes('name')
        ? 'Give the key a name of 1 to 100 characters, such as the shop or service that will use it.'
        : 'Choose the key’s scope: read, or write (which can also read).',
    forbidden: () => 'Only a store owner may create API keys.',
  },
  'revoke-api-key': {
    invalid_input: () => 'There is no such API key.',
    forbidden: () => 'Only a store owner may revoke API keys.',
    not_found: () => 'There is no such API key.',
    already_revoked: () => 'This API key was already revoked.',
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
