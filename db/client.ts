// Opens the one database of the process: embedded PGlite in a folder by default, PostgreSQL via DATABASE_URL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.ts';
import { type CheckpointOptions, keepCheckpointing } from './pglite-checkpoints.ts';
import { preparingClient } from './prepared-statement.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that runs queries: the database or an open transaction. */
export type Queryable = Db | Tx;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

export type OpenOptions =
  | { url: string; max?: number }
  | { dataDir: string; checkpoints?: CheckpointOptions }
  /** An in-memory PGlite (tests), optionally loaded from a snapshot made by `dumpDataDir`. */
  | { memory: true; loadDataDir?: Blob | File };

export async function openDatabase(options: OpenOptions, migrationsFolder = MIGRATIONS_FOLDER): Promise<Database> {
  if ('url' in options) {
    const client = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: () => migratePostgres(db as never, { migrationsFolder }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  let release = () => {};
  let client: PGlite;
  if ('dataDir' in options) {
    const dir = resolve(options.dataDir);
    // PGlite creates only the last folder of its path.
    mkdirSync(dirname(dir), { recursive: true });
    release = lockDataDir(dir);
    try {
      // No full-page images in the WAL: they guard against a page half written when the machine itself stops, which
      // PGlite does not guard against anyway (it never fsyncs, `-F`); a killed process leaves no half-written page.
      // With them, each page's first change after a checkpoint (every few MB of WAL) cost 8 KB of WAL (a 100k-line
      // fan-out right after one wrote 209 MB with them and 162 MB without: decision 022).
      client = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, '-c', 'full_page_writes=off'] });
    } catch (error) {
      release();
      throw error;
    }
  } else {
    client = await PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  }
  // The data lives in memory-speed storage: index probes cost about what sequential reads do. With the default (4) the
  // planner hash-joins whole tables for a few dozen rows, which a fan-out chunk then pays on every statement.
  await client.exec('set random_page_cost = 1.1');
  // A new 16 MB WAL segment is otherwise written full of zeros first, on this thread: a 100k-line fan-out crosses a
  // dozen of them, and each stalled its chunk (and every request behind it) for ~50 ms. Zero-filling only reserves
  // disk space early; PGlite does not fsync anyway (decision 019).
  await client.exec('set wal_init_zero = off');
  const db = drizzlePglite(preparingClient(client), { schema }) as unknown as Db;
  // An in-memory database (tests) lives as long as its process; a data folder needs its WAL checkpointed.
  const stopCheckpoints = 'dataDir' in options ? keepCheckpointing(client, options.checkpoints) : async () => {};
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: async () => {
      await stopCheckpoints();
      await client.close();
      release();
    },
    ...({ pglite: client } as object),
  };
}

/**
 * True for embedded PGlite: one thread runs every query and a transaction holds it exclusively, so long writes must
 * be cut into short transactions to keep reads answering.
 */
export function isEmbedded(db: Queryable): boolean {
  return (db as { $client?: unknown }).$client instanceof PGlite;
}

/** Opens the database the configuration names. */
export function openConfiguredDatabase(cfg: { DATABASE_URL?: string | undefined; DATA_DIR: string }): Promise<Database> {
  return cfg.DATABASE_URL ? openDatabase({ url: cfg.DATABASE_URL }) : openDatabase({ dataDir: cfg.DATA_DIR });
}

/** Rows from `db.execute`, which PGlite returns as `{ rows }` and postgres.js as an array. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
