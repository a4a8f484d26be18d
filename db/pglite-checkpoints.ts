// Checkpoints an embedded PGlite data folder from the application (decision 022).
import type { PGlite } from '@electric-sql/pglite';

export type CheckpointOptions = {
  /** How often the WAL written since the last checkpoint is looked at (250 ms by default). */
  everyMs?: number;
  /** A checkpoint is taken once that much WAL (MB) has been written since the last one (4 by default). */
  walMb?: number;
  /** Told of each checkpoint taken: how much WAL it covered and how long it held the database (not counting its wait for it). */
  onCheckpoint?: (walMb: number, ms: number) => void;
};

/**
 * PGlite runs PostgreSQL as a single-user backend, which has no checkpointer: it checkpoints only when it is closed.
 * Until then every WAL segment is kept (a 100k-line fan-out writes ~200 MB) and a crash replays all of them on the
 * next start (323 MB took 4.3 s, against 0.3 s after a clean close). So the application checkpoints, once 4 MB
 * of WAL have been written since the last one, which bounds both. A checkpoint writes the dirty pages and holds
 * PGlite while it does (every request waits), ~5 ms plus ~0.6 ms per MB of WAL it covers. How much it covers is set
 * by how often it is looked at: a 100k-line fan-out writes ~30 MB of WAL a second, so checked every second, each
 * covered 15–46 MB and held PGlite 20–37 ms (docs/benchmarks.md's goal: no request waits more than 20 ms); checked every 250 ms, each
 * covered 4–9 MB and held it 5–11 ms (once 21 ms), with lookup p99 during the move 19.7–40.1 ms against 28.5–29.6 ms.
 * Returns a stop function.
 */
export function keepCheckpointing(client: PGlite, options: CheckpointOptions = {}): () => Promise<void> {
  const everyMs = options.everyMs ?? 250;
  const walBytes = (options.walMb ?? 4) * 1024 * 1024;
  let running: Promise<void> | null = null;
  const check = async () => {
    const { rows } = await client.query<{ bytes: string }>(
      'select (pg_current_wal_lsn() - redo_lsn)::text as bytes from pg_control_checkpoint()',
    );
    const bytes = Number(rows[0]?.bytes ?? 0);
    if (bytes < walBytes) return;
    // Timed inside the database, in one call: timed around the call, it also counted its wait in PGlite's queue (a
    // fan-out chunk and lookups ahead of it), which is not time the checkpoint held anyone up.
    const results = await client.exec(
      'select extract(epoch from clock_timestamp()) * 1000 as at; checkpoint; select extract(epoch from clock_timestamp()) * 1000 as at',
    );
    const at = (i: number) => Number((results[i]?.rows[0] as { at?: string | number } | undefined)?.at);
    options.onCheckpoint?.(Math.round(bytes / 1024 / 1024), at(2) - at(0));
  };
  const timer = setInterval(() => {
    if (running) return;
    // A failed check (the database closing under it, say) is tried again at the next tick.
    running = check()
      .catch(() => undefined)
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
