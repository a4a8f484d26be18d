// Who did something: every event records its actor (staff member, customer, the system, or an API key).
export type Actor = { type: 'staff' | 'customer' | 'system' | 'api'; id: string | null };

export const SYSTEM: Actor = { type: 'system', id: null };
