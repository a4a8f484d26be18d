// What the console calls each line status (its badges, its status menu, its messages).
import type { LineStatus } from '#src/domain/line-status.ts';

export const LINE_STATUS_LABELS: Record<LineStatus, string> = {
  waiting: 'Waiting',
  ready: 'Ready to ship',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};
