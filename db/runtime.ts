// The process-wide database handle shared by server.mjs and the bundled Astro pages.
// It lives on globalThis because Astro's build bundles its own copy of this module: both copies must see one handle.
import { config } from '#src/config/config.ts';
import { type Database, type Db, openConfiguredDatabase } from './client.ts';

const KEY = Symbol.for('porchlight.database');
type Holder = { [KEY]?: Promise<Database> };
const holder = globalThis as Holder;

/** Makes `database` the process's database (server.mjs does this once at start, tests per file). */
export function setRuntimeDatabase(database: Database): void {
  holder[KEY] = Promise.resolve(database);
}

/** The process database; under `astro dev` (no server.mjs) it is opened and migrated on first use. */
export async function runtimeDatabase(): Promise<Database> {
  holder[KEY] ??= openConfiguredDatabase(config()).then(async (d) => {
    await d.migrate();
    return d;
  });
  return holder[KEY];
}

export async function runtimeDb(): Promise<Db> {
  return (await runtimeDatabase()).db;
}
