// Another writer for race tests on PostgreSQL: it makes its change and holds the row locks until told to commit.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '#db/client.ts';

/**
 * Runs `change` in a transaction that stays open (its locks held) until the returned `commit` is called, which
 * resolves once it has committed. Resolves after the change is made.
 */
export async function holdChange(db: Db, change: (tx: Tx) => Promise<unknown>): Promise<{ commit(): Promise<void> }> {
  let release = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let changed = () => {};
  const made = new Promise<void>((r) => {
    changed = r;
  });
  const held = db.transaction(async (tx) => {
    await change(tx);
    changed();
    await gate;
  });
  await Promise.race([made, held]);
  return {
    commit: async () => {
      release();
      await held;
    },
  };
}

/** Waits (up to two seconds, else fails) until a session of this database waits for a lock: for the held change. */
export async function untilWaitingOnALock(db: Db): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [w] = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      ),
    );
    if (Number(w?.n ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no session waited for the held lock within 2 s');
}
