// How a message's delivery status may move: forward only, so late or out-of-order callbacks never undo progress.
export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'suppressed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const RANK: Record<DeliveryStatus, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, failed: 4, suppressed: 4 };

/**
 * Whether a provider report may move a message from `current` to `next`. Delivered beats sent; a bounce or failure
 * may still follow a delivery report (asynchronous bounces), but nothing moves a failed or suppressed message.
 */
export function mayAdvance(current: DeliveryStatus, next: DeliveryStatus): boolean {
  if (current === 'failed' || current === 'suppressed') return false;
  if (next === 'failed') return current !== 'queued';
  return RANK[next] > RANK[current];
}
