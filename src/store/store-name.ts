// The store's display name for page headers, read once per request from settings.
import type { Queryable } from '#db/client.ts';
import { storeSettings } from '#db/schema/index.ts';

export async function storeName(db: Queryable): Promise<string> {
  const [row] = await db.select({ name: storeSettings.name }).from(storeSettings).limit(1);
  return row?.name ?? 'Porchlight';
}
