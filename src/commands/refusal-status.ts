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
};

export function refusalStatus(reason: AnyReason): 400 | 403 | 404 | 409 | 429 {
  return STATUS[reason];
}
