// An outbox row as a pass holds it once claimed, the columns every claim returns, and the history step a change appends.
import { sql } from 'drizzle-orm';
import type { RenderedContent } from '#db/schema/index.ts';

export type Claimed = {
  id: number;
  order_id: number;
  customer_id: number;
  channel: 'email' | 'sms';
  recipient: string;
  required: boolean;
  dedupe_key: string;
  payload: { events: number[] };
  rendered: RenderedContent | null;
  batch_key: string | null;
  retry_safe: boolean;
  attempts: number;
  first_attempt_at: string | Date;
  segments: number | null;
  /** A notice the law requires by this instant: quiet hours do not hold it past then. */
  deadline_at: string | Date | null;
  /** Came back after its lease ran out: an earlier attempt may have reached the provider. */
  reclaimed?: boolean;
};

export const RETURNING = sql`returning id, order_id, customer_id, channel, recipient, required, dedupe_key, payload, rendered, batch_key, retry_safe, attempts, first_attempt_at, segments, deadline_at`;

export function normalise(row: Claimed): Claimed {
  return { ...row, id: Number(row.id), payload: row.payload ?? { events: [] } };
}

export const iso = (d: Date) => d.toISOString();

/** One entry of a row's `history`, as the JSON array appended to it. */
export const step = (now: Date, status: string, detail?: string) =>
  JSON.stringify([{ at: iso(now), status, ...(detail ? { detail: detail.slice(0, 500) } : {}) }]);
