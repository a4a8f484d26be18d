// Where the end-to-end server keeps its data, so tests can run the CLI against the same portal.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDatabase } from './database-template.ts';

export function e2eDataDir(): string {
  return join(tmpdir(), 'porchlight-e2e', 'data');
}

/** The PostgreSQL database of an e2e run on PostgreSQL, or undefined on the embedded default. */
export function e2eDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL ? withDatabase(process.env.DATABASE_URL, 'porchlight_e2e') : undefined;
}
