// Checkpoints an embedded PGlite data folder from the application (decision 022).
import type { PGlite } from '@electric-sql/pglite';

export type CheckpointOptions = {
  /** How often the WAL written since the last checkpoint is looked at. */
  everyMs?: number;
  /** A checkpoint is taken once that much WAL (MB) has been written since the last one (16 by default). */
  walMb?: number;
  /** Told of each checkpoint taken: how much WAL it covered and how long it held the database. */
  onCheckpoint?: (walMb: number, ms: number) => void;
};

/**
 * PGlite runs PostgreSQL as a single-user backend, which has no checkpointer: it checkpoints only when it is closed.
 * Until then every WAL segment is kept (a 100k-line fan-out writes ~200 MB) and a crash replays all of them on the
 * next start (323 MB took 4.3 s, against 0.3 s after a clean close). So the application checkpoints, once 16 MB
 * of WAL have been written since the last one, which bounds both. A checkpoint writes the dirty pages and holds
 * PGlite while it does (every request waits): during a 100k-line fan-out, checkpoints every 64 MB held it for
 * 70–144 ms each, every 16 MB for 16–39 ms (one in each run took 123–144 ms whatever the size). Returns a stop
 * function.
 */
export function keepCheckpointing(client: PGlite, options: CheckpointOptions = {}): () => Promise<void> {
  const everyMs = options.everyMs ?? 1000;
  const walBytes = (options.walMb ?? 16) * 1024 * 1024;
  let running: Promise<void> | null = null;
  const check = async () => {
    const { rows } = await client.query<{ bytes: string }>(
      'select (pg_current_wal_lsn() - redo_lsn)::text as bytes from pg_control_checkpoint()',
    );
    const bytes = Number(rows[0]?.bytes ?? 0);
    if (bytes < walBytes) return;
    const started = performance.now();
    await client.exec('checkpoint');
    options.onCheckpoint?.(Math.round(bytes / 1024 / 1024), performance.now() - started);
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
