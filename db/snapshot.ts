// PostgreSQL snapshots (`pg_current_snapshot()`, text form `xmin:xmax:xip,...`) and whether any transaction can have
// committed between two of them: what lets a reader on PostgreSQL keep a result until the data may have changed.

export type Snapshot = { xmin: bigint; xmax: bigint; running: ReadonlySet<bigint> };

/** Parses `pg_current_snapshot()::text`; null when it is not of that form. */
export function parseSnapshot(text: string): Snapshot | null {
  const m = /^(\d+):(\d+):([\d,]*)$/.exec(text);
  if (!m) return null;
  const running = new Set(
    (m[3] as string)
      .split(',')
      .filter((x) => x !== '')
      .map((x) => BigInt(x)),
  );
  return { xmin: BigInt(m[1] as string), xmax: BigInt(m[2] as string), running };
}

/**
 * True when no transaction can have committed (or aborted) between snapshot `then` and the later snapshot `now`, so
 * everything `then` saw is still exactly what `now` sees. A snapshot treats as invisible the transactions it lists as
 * running and every one from its xmax on; the data can only have changed if one of those has finished by `now`: one
 * listed at `then` that `now` no longer lists, or one begun since (below `now`'s xmax) that `now` does not list.
 */
export function nothingCommittedBetween(then: Snapshot, now: Snapshot): boolean {
  if (now.xmax < then.xmax) return false; // not a later snapshot
  for (const xid of then.running) if (!now.running.has(xid)) return false;
  // Every transaction id assigned since `then` must still be running at `now`.
  const assignedSince = now.xmax - then.xmax;
  if (assignedSince > BigInt(now.running.size)) return false;
  for (let xid = then.xmax; xid < now.xmax; xid++) if (!now.running.has(xid)) return false;
  return true;
}
