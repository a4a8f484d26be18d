// The HTTP status of each refusal reason any command can give: the console answers with it and the API's problem
// details carry it. Keyed by the union of every command's reasons, so a new reason needs its status to compile.
import type { ReasonOf } from './command.ts';
import type { COMMANDS } from './registry.ts';

export type AnyReason = { [N in keyof typeof COMMANDS]: ReasonOf<(typeof COMMANDS)[N]> }[keyof typeof COMMANDS];

const STATUS: Record<AnyReason, 400 | 403 | 404 | 409 | 429> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  empty: 400,
  too_long: 400,
  use_cancel: 400,
  tracking_without_shipping: 400,
  not_allowed: 409,
  same_status: 409,
  nothing_to_cancel: 409,
  invalid_date: 400,
  from_after_to: 400,
  reason_required: 400,
  not_open: 409,
  date_in_past: 400,
  no_date: 400,
  nothing_to_answer: 409,
  deadline_passed: 409,
  already_sent: 409,
  reference_required: 400,
  date_in_future: 400,
  duplicate_delivery: 409,
  refund_mismatch: 400,
  invalid_email: 400,
  invalid_name: 400,
  invalid_role: 400,
  password_too_short: 400,
  password_too_long: 400,
  email_taken: 409,
  self: 409,
  last_owner: 409,
  mismatch: 400,
  wrong_password: 400,
  rate_limited: 429,
  setup_done: 409,
  invalid: 400,
  already_revoked: 409,
  placed_in_future: 400,
  duplicate_line_ids: 400,
  eta_reversed: 400,
  eta_in_past: 400,
  ship_by_passed: 400,
  payment_invalid: 400,
  currency_changed: 409,
  placed_at_changed: 409,
  sku_changed: 409,
  promised_by_changed: 409,
};

export function refusalStatus(reason: AnyReason): 400 | 403 | 404 | 409 | 429 {
  return STATUS[reason];
}
