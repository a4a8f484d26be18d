// Who asks for a change: a signed-in staff member (or the CLI, run by the operator), an API key, a customer holding an
// order's access token, or the system itself (the sweep, a signed platform callback). Commands decide on this.
import type { StaffRole } from '#src/auth/staff-sessions.ts';
import type { Actor } from './actor.ts';

export type ApiScope = 'read' | 'write';
export type CustomerPurpose = 'order_view' | 'consent' | 'cancel' | 'unsubscribe';

export type Principal =
  /** `sessionId`: the console session asking, for what concerns that session (a password change keeps it). */
  | { kind: 'staff'; staffId: number; role: StaffRole; sessionId?: string }
  | { kind: 'cli' }
  | { kind: 'api_key'; keyId: string; scope: ApiScope }
  | { kind: 'customer'; orderId: number; purpose: CustomerPurpose; lineId: number | null }
  | { kind: 'system'; name: string };

/** The operator at the server's shell: everything an owner may do, recorded as the CLI. */
export const CLI: Principal = { kind: 'cli' };

/** How the event log records the principal (`events.actor_type` / `actor_id`). */
export function actorOf(principal: Principal): Actor {
  switch (principal.kind) {
    case 'staff':
      return { type: 'staff', id: String(principal.staffId) };
    case 'cli':
      return { type: 'staff', id: 'cli' };
    case 'api_key':
      return { type: 'api', id: `key:${principal.keyId}` };
    case 'customer':
      return { type: 'customer', id: null };
    case 'system':
      return { type: 'system', id: null };
  }
}

/** A signed-in staff member as the principal of what they ask for (through this session, when given). */
export function staffPrincipal(user: { id: number; role: StaffRole }, session?: { id: string }): Principal {
  return session
    ? { kind: 'staff', staffId: user.id, role: user.role, sessionId: session.id }
    : { kind: 'staff', staffId: user.id, role: user.role };
}

/** A customer holding a validated order access token: its order, purpose and (for a single-line link) its line. */
export function customerPrincipal(access: { orderId: number; purpose: CustomerPurpose; lineId: number | null }): Principal {
  return { kind: 'customer', orderId: access.orderId, purpose: access.purpose, lineId: access.lineId };
}
