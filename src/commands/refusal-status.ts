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
  already_revoked: 409,
};

export function refusalStatus(reason: AnyReason): 400 | 403 | 404 | 409 {
  return STATUS[reason];
}
