// Authorisation rules a command names: who may run it. Checked on the server by `execute`, for every entry point.
import type { StaffRole } from '#src/auth/staff-sessions.ts';
import type { ApiScope, CustomerPurpose, Principal } from './principal.ts';

export type Rule<In> = (principal: Principal, input: In) => boolean;

/** Staff with the role (owners hold every role), and the operator's CLI. */
export const staff =
  (role: StaffRole | 'any' = 'any'): Rule<unknown> =>
  (p) =>
    p.kind === 'cli' || (p.kind === 'staff' && (role === 'any' || p.role === role || p.role === 'owner'));

/** An API key with the scope (`write` covers `read`). */
export const apiKey =
  (scope: ApiScope): Rule<unknown> =>
  (p) =>
    p.kind === 'api_key' && (p.scope === 'write' || scope === 'read');

/** The system itself: the sweep, a signed callback. */
export const system: Rule<unknown> = (p) => p.kind === 'system';

/** A customer whose token opens this order, for one of the purposes (and, for a single-line token, that line). */
export const customerOf =
  <In>(orderIdOf: (input: In) => number, purposes: readonly CustomerPurpose[], lineIdOf?: (input: In) => number | null): Rule<In> =>
  (p, input) =>
    p.kind === 'customer' &&
    p.orderId === orderIdOf(input) &&
    purposes.includes(p.purpose) &&
    (p.lineId === null || lineIdOf === undefined || lineIdOf(input) === p.lineId);

export const anyOf =
  <In>(...rules: Rule<In>[]): Rule<In> =>
  (p, input) =>
    rules.some((rule) => rule(p, input));
