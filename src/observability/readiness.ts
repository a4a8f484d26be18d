// Readiness for load balancers and orchestrators: the database answers, every migration is applied, the notifier
// loop is alive. Answers say which check failed and why in a few words, never what is stored.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '#db/client.ts';
import journal from '#db/migrations/meta/_journal.json' with { type: 'json' };
import { runtimeDatabase } from '#db/runtime.ts';
import { config } from '#src/config/config.ts';
import type { NotifierHealth } from '#src/messages/notifier/worker.ts';

export type Journal = { entries: ReadonlyArray<{ tag: string; when: number }> };
export type Check = { ok: true; [detail: string]: unknown } | { ok: false; reason: string; [detail: string]: unknown };
export type Readiness = { ready: boolean; checks: { database: Check; migrations: Check; notifier: Check } };

/** The migrations this build expects, from the journal drizzle-kit writes beside them. */
export const BUILD_JOURNAL: Journal = journal;

const NOTIFIER = Symbol.for('porchlight.notifier');
type Holder = { [NOTIFIER]?: { health(): NotifierHealth } };

/**
 * Makes `notifier` the one `/readyz` watches. On globalThis for the reason db/runtime.ts is: server.mjs and the
 * bundled pages each have their own copy of this module.
 */
export function watchNotifier(notifier: { health(): NotifierHealth } | null): void {
  (globalThis as Holder)[NOTIFIER] = notifier ?? undefined;
}

export function watchedNotifier(): { health(): NotifierHealth } | null {
  return (globalThis as Holder)[NOTIFIER] ?? null;
}

function within<T>(ms: number, work: Promise<T>): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** A database error's code (SQLSTATE or a socket's), never its message: messages may quote stored values. */
function codeOf(error: unknown): string {
  // Drizzle wraps a driver's error (and quotes the statement's parameters in its message) with the original as cause.
  const code = (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/i.test(code) ? code : 'unknown';
}

export async function checkDatabase(db: Db, timeoutMs: number): Promise<Check> {
  const started = performance.now();
  try {
    const answer = await within(timeoutMs, db.execute(sql`select 1`));
    if (answer === 'timeout') return { ok: false, reason: `no answer within ${timeoutMs} ms` };
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, reason: `query failed (${codeOf(error)})` };
  }
}

/**
 * Every migration in the journal is recorded in drizzle's table. Drizzle's migrator identifies a migration by the
 * journal's `when` (stored as `created_at`), so that is what is compared.
 */
export async function checkMigrations(db: Db, expected: Journal, timeoutMs: number): Promise<Check> {
  let applied: Set<number>;
  try {
    const answer = await within(timeoutMs, db.execute(sql`select created_at from drizzle.__drizzle_migrations`));
    if (answer === 'timeout') return { ok: false, reason: `no answer within ${timeoutMs} ms` };
    applied = new Set(rowsOf<{ created_at: string | number }>(answer).map((r) => Number(r.created_at)));
  } catch (error) {
    // 42P01 / 3F000: no migrations table (or schema) at all.
    const code = codeOf(error);
    return code === '42P01' || code === '3F000'
      ? { ok: false, reason: 'no migration applied', missing: expected.entries.map((e) => e.tag) }
      : { ok: false, reason: `query failed (${code})` };
  }
  const missing = expected.entries.filter((e) => !applied.has(e.when)).map((e) => e.tag);
  if (missing.length) return { ok: false, reason: `${missing.length} migration(s) not applied`, missing };
  return { ok: true, applied: expected.entries.length };
}

/** Running, and every lane finished a pass or a send within its stall limit; not required when NOTIFIER=off. */
export function checkNotifier(notifier: { health(): NotifierHealth } | null, required: boolean): Check {
  if (!required) return { ok: true, skipped: 'NOTIFIER=off: a separate worker sends' };
  if (!notifier) return { ok: false, reason: 'not started' };
  const health = notifier.health();
  if (!health.running) return { ok: false, reason: 'not running' };
  const stalled = health.lanes.findIndex((sinceMs) => sinceMs > health.stallMs);
  if (stalled >= 0) {
    const seconds = Math.round((health.lanes[stalled] as number) / 1000);
    return { ok: false, reason: `lane ${stalled} has not finished a pass or a send for ${seconds} s`, stallMs: health.stallMs };
  }
  return { ok: true, lastPassMs: Math.round(Math.max(...health.lanes)) };
}

export async function checkReadiness(input: {
  db: Db;
  notifier: { health(): NotifierHealth } | null;
  notifierRequired: boolean;
  journal?: Journal;
  timeoutMs?: number;
}): Promise<Readiness> {
  const timeoutMs = input.timeoutMs ?? 2000;
  const database = await checkDatabase(input.db, timeoutMs);
  const migrations = database.ok
    ? await checkMigrations(input.db, input.journal ?? BUILD_JOURNAL, timeoutMs)
    : { ok: false as const, reason: 'database not answering' };
  const notifier = checkNotifier(input.notifier, input.notifierRequired);
  return { ready: database.ok && migrations.ok && notifier.ok, checks: { database, migrations, notifier } };
}

/** The process's readiness, for /readyz: a database that cannot even be opened is one more failed check. */
export async function processReadiness(): Promise<Readiness | { ready: false; checks: { database: { ok: false; reason: string } } }> {
  let database: Awaited<ReturnType<typeof runtimeDatabase>>;
  try {
    database = await runtimeDatabase();
  } catch {
    // Only under `astro dev`, where the first request opens the database.
    return { ready: false, checks: { database: { ok: false, reason: 'could not be opened' } } };
  }
  return checkReadiness({ db: database.db, notifier: watchedNotifier(), notifierRequired: config().NOTIFIER === 'on' });
}
