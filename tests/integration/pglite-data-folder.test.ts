// An embedded PGlite data folder, as `npm start` runs it: checkpointed by the application, no full-page images.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rowsOf } from '#db/client.ts';

let dir: string;
let database: Database;
const checkpoints: Array<{ walMb: number; ms: number }> = [];

/** MB of WAL written since the last checkpoint. */
async function walSinceCheckpoint(): Promise<number> {
  const [row] = rowsOf<{ mb: string }>(
    await database.db.execute(sql`select ((pg_current_wal_lsn() - redo_lsn) / 1048576.0)::text as mb from pg_control_checkpoint()`),
  );
  return Number(row?.mb);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'porchlight-folder-'));
  database = await openDatabase({
    dataDir: join(dir, 'data'),
    checkpoints: { everyMs: 20, walMb: 2, onCheckpoint: (walMb, ms) => checkpoints.push({ walMb, ms }) },
  });
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an embedded data folder', () => {
  it('is checkpointed once enough WAL has been written since the last checkpoint, which PGlite never does itself', async () => {
    await database.db.execute(sql`create table filler (id int, v text)`);
    await database.db.execute(sql`insert into filler select g, repeat(md5(g::text), 4) from generate_series(1, 30000) g`);
    await expect.poll(() => checkpoints.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(checkpoints[0]?.walMb).toBeGreaterThanOrEqual(2);
    // How long it held the database, timed inside it.
    expect(checkpoints[0]?.ms).toBeGreaterThanOrEqual(0);
    expect(checkpoints[0]?.ms).toBeLessThan(10_000);
    expect(await walSinceCheckpoint()).toBeLessThan(2);
  });

  it('leaves a little WAL alone', async () => {
    const before = checkpoints.length;
    await database.db.execute(sql`insert into filler values (0, 'one row')`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(checkpoints.length).toBe(before);
    expect(await walSinceCheckpoint()).toBeGreaterThan(0);
  });

  it('writes no full-page images: PGlite never fsyncs, so they would guard nothing a killed process can cause', async () => {
    const [row] = rowsOf<{ full_page_writes: string }>(await database.db.execute(sql`show full_page_writes`));
    expect(row?.full_page_writes).toBe('off');
  });
});
