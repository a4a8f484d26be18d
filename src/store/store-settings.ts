// Reads the store's settings row: every use case that needs the zone, policies or windows asks here.
import type { Queryable } from '#db/client.ts';
import { storeSettings } from '#db/schema/index.ts';

export type StoreSettings = typeof storeSettings.$inferSelect;

export async function loadStoreSettings(db: Queryable): Promise<StoreSettings> {
  const [row] = await db.select().from(storeSettings).limit(1);
  if (!row) throw new Error('The store has no settings row: run the migrations and the seed (npm start does both).');
  return row;
}
