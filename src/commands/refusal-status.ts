// The HTTP status of each refusal reason any command can give: the console answers with it and the API's problem
// details carry it. Keyed by the union of every command's reasons, so a new reason needs its status to compile.
import type { ReasonOf } from './command.ts';
import type { COMMANDS } from './registry.ts';

export type AnyReason = { [N in keyof typeof COMMANDS]: ReasonOf<(typeof COMMANDS)[N]> }[keyof typeof COMMANDS];

const STATUS: Record<AnyReason, 400 | 403 | 404 | 409> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  empty: 400,
  too_long: 400,
  placed_in_future: 400,
  duplicate_line_ids: 400,
  invalid_date: 400,
  eta_reversed: 400,
  eta_in_past: 400,
  ship_by_passed: 400,
  payment_invalid: 400,
  currency_changed: 409,
  placed_at_changed: 409,
  sku_changed: 409,
  promised_by_changed: 409,
};

export function refusalStatus(reason: AnyReason): 400 | 403 | 404 | 409 {
  return STATUS[reason];
}
