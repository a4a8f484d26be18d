// The order line status machine: waiting → ready → shipped → delivered, or cancelled; nothing else.
export const LINE_STATUSES = ['waiting', 'ready', 'shipped', 'delivered', 'cancelled'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

export const LINE_KINDS = ['preorder', 'backorder', 'in_stock'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

const NEXT: Record<LineStatus, readonly LineStatus[]> = {
  waiting: ['ready', 'shipped', 'cancelled'],
  ready: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export type TransitionResult =
  | { ok: true; from: LineStatus; to: LineStatus }
  | { ok: false; reason: 'same_status' | 'not_allowed'; from: LineStatus; to: LineStatus };

/**
 * Whether a line may move from one status to another. A waiting line may be shipped directly (allocation
 * and hand-off to the carrier at once); once shipped it can no longer be cancelled (435.2(c) cancels only
 * before shipment), and a finished line never moves again.
 */
export function transition(from: LineStatus, to: LineStatus): TransitionResult {
  if (from === to) return { ok: false, reason: 'same_status', from, to };
  return NEXT[from].includes(to) ? { ok: true, from, to } : { ok: false, reason: 'not_allowed', from, to };
}

export function allowedNext(from: LineStatus): readonly LineStatus[] {
  return NEXT[from];
}

/**
 * Open lines are those still owed to the customer: an ETA move or a delay notice concerns only them. The one list
 * of open statuses; SQL spells it through `openStatus` (db/line-status-sql.ts).
 */
export const OPEN_LINE_STATUSES = ['waiting', 'ready'] as const satisfies readonly LineStatus[];
export type OpenLineStatus = (typeof OPEN_LINE_STATUSES)[number];

export function isOpen(status: LineStatus): boolean {
  return (OPEN_LINE_STATUSES as readonly LineStatus[]).includes(status);
}
