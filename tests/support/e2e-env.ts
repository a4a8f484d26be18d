// Where the end-to-end server keeps its data, so tests can run the CLI against the same portal.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDatabase } from './database-template.ts';

/** One folder and database per port, so two e2e runs on one machine keep out of each other's way. */
const PORT = process.env.E2E_PORT ?? '4400';

export function e2eDataDir(): string {
  return join(tmpdir(), `porchlight-e2e-${PORT}`, 'data');
}

/** The PostgreSQL database of an e2e run on PostgreSQL, or undefined on the embedded default. */
export function e2eDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL ? withDatabase(process.env.DATABASE_URL, `porchlight_e2e_${PORT}`) : undefined;
}
