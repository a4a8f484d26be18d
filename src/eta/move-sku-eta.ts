// Use case: move a SKU's ETA and the ETA of every open line of it (set-based, in chunks: `move-sku-lines-in-chunks.ts`).
import { eq } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { products } from '#db/schema/index.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import type { Actor } from '../commands/actor.ts';
import { loadStoreSettings } from '../store/store-settings.ts';
import { checkEtaMove, type MoveEtaResult } from './check-eta-move.ts';
import { type ChunkOptions, moveSkuLinesInChunks } from './move-sku-lines-in-chunks.ts';

export type MoveSkuEtaInput = { sku: string; from: string | null; to: string | null; reason: string; actor: Actor };
export type MoveSkuOptions = ChunkOptions & { now?: Date };

/** Moves a SKU's ETA and every open line of it; re-running the same move changes and sends nothing. */
export async function moveSkuEta(db: Db, input: MoveSkuEtaInput, options: MoveSkuOptions = {}): Promise<MoveEtaResult> {
  const now = options.now ?? new Date();
  const checked = checkEtaMove(input);
  if (!checked.ok) return checked;
  const { eta, reason } = checked.move;
  const [product] = await db.select({ id: products.id }).from(products).where(eq(products.sku, input.sku));
  if (!product) return { ok: false, reason: 'not_found' };
  const settings = await loadStoreSettings(db);
  if (eta.to !== null && eta.to < toCalendarDate(now, settings.timeZone)) return { ok: false, reason: 'date_in_past' };
  await db.update(products).set({ etaFrom: eta.from, etaTo: eta.to, etaReason: reason, updatedAt: now }).where(eq(products.id, product.id));
  const moved = await moveSkuLinesInChunks(db, { sku: input.sku, eta, reason, actor: input.actor, now, settings }, options);
  return { ok: true, linesMoved: moved.linesMoved, customersTold: moved.customersTold, notices: moved.notices, cancelled: moved.cancelled };
}
