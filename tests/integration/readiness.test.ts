// Specification of readiness (/readyz, src/observability/readiness.ts) and the notifier's pass report: the database
// answers, every migration is applied, the notifier loop is alive; one count-only line per pass that sent something.

import type { APIContext } from 'astro';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type Db, rowsOf } from '#db/client.ts';
import { setRuntimeDatabase } from '#db/runtime.ts';
import { seedDemo } from '#db/seed.ts';
import { devMailboxEmail, devMailboxSms } from '#src/messages/channels/dev-mailbox.ts';
import { passLogger } from '#src/messages/notifier/start-notifier.ts';
import { createNotifier, type Notifier, type NotifierOptions, type PassReport } from '#src/messages/notifier/worker.ts';
import { BUILD_JOURNAL, checkDatabase, checkReadiness, watchNotifier } from '#src/observability/readiness.ts';
import { addCustomerNote } from '#src/orders/add-customer-note.ts';
import { GET as healthz } from '#src/pages/healthz.ts';
import { GET as readyz } from '#src/pages/readyz.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

let database: Database;
const running: Notifier[] = [];
const releases: Array<() => void> = [];

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db);
  await database.db.execute(sql`update store_settings set coalesce_seconds = 0, quiet_hours_start = '00:00', quiet_hours_end = '00:00'`);
});
afterAll(() => database.close());
afterEach(async () => {
  for (const release of releases.splice(0)) release();
  await Promise.all(running.splice(0).map((n) => n.stop()));
  watchNotifier(null);
});

function notifier(overrides: Partial<NotifierOptions> = {}): Notifier {
  const n = createNotifier({
    db: database.db,
    email: devMailboxEmail(database.db),
    sms: devMailboxSms(database.db, '+15005550006'),
    publicUrl: 'https://status.example',
    emailFrom: null,
    rates: { emailRequestsPerSecond: 0, smsSegmentsPerSecond: 0 },
    ...overrides,
  });
  return n;
}

function started(overrides: Partial<NotifierOptions> = {}): Notifier {
  const n = notifier(overrides);
  n.start();
  running.push(n);
  return n;
}

/** A housekeeping step that never returns (a sweep stuck on a lock, a hung webhook call) until the test ends. */
function hangingTick(): Pick<NotifierOptions, 'onTick'> {
  let release = () => {};
  const hang = new Promise<void>((resolve) => {
    release = resolve;
  });
  releases.push(release);
  return { onTick: () => hang };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const call = async (route: typeof readyz, method = 'GET') => {
  const response = await route({ request: new Request(`http://portal.test/x`, { method }) } as APIContext);
  return { status: response.status, headers: response.headers, body: await response.json() };
};

describe('readiness', () => {
  it('is ready when the database answers, every migration is applied and each notifier lane keeps passing', async () => {
    const n = started();
    const report = await checkReadiness({ db: database.db, notifier: n, notifierRequired: true });
    expect(report).toEqual({
      ready: true,
      checks: {
        database: { ok: true, ms: expect.any(Number) },
        migrations: { ok: true, applied: BUILD_JOURNAL.entries.length },
        notifier: { ok: true, lastPassMs: expect.any(Number) },
      },
    });
  });

  it('names the migrations the database lacks: a newer build on an older database is not ready', async () => {
    const newer = { entries: [...BUILD_JOURNAL.entries, { tag: '0099_next', when: 4102444800000 }] };
    const report = await checkReadiness({ db: database.db, notifier: null, notifierRequired: false, journal: newer });
    expect(report.ready).toBe(false);
    expect(report.checks.migrations).toEqual({ ok: false, reason: '1 migration(s) not applied', missing: ['0099_next'] });
  });

  it('notices a migration missing from the database itself, and a database that never ran any', async () => {
    const last = BUILD_JOURNAL.entries.at(-1) as { tag: string; when: number };
    const [row] = rowsOf<{ hash: string }>(
      await database.db.execute(sql`select hash from drizzle.__drizzle_migrations where created_at = ${last.when}`),
    );
    expect(row).toBeDefined();
    await database.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${last.when}`);
    try {
      const report = await checkReadiness({ db: database.db, notifier: null, notifierRequired: false });
      expect(report.ready).toBe(false);
      expect(report.checks.migrations).toMatchObject({ ok: false, missing: [last.tag] });
      await database.db.execute(sql`alter table drizzle.__drizzle_migrations rename to drizzle_migrations_away`);
      try {
        const none = await checkReadiness({ db: database.db, notifier: null, notifierRequired: false });
        expect(none.checks.migrations).toMatchObject({ ok: false, reason: 'no migration applied' });
        expect(none.checks.migrations.missing).toHaveLength(BUILD_JOURNAL.entries.length);
      } finally {
        await database.db.execute(sql`alter table drizzle.drizzle_migrations_away rename to __drizzle_migrations`);
      }
    } finally {
      await database.db.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${(row as { hash: string }).hash}, ${last.when})`,
      );
    }
    expect((await checkReadiness({ db: database.db, notifier: null, notifierRequired: false })).ready).toBe(true);
  });

  it('is not ready when the database does not answer in time or the connection is gone, and says only a code', async () => {
    const silent = { execute: () => new Promise(() => {}) } as unknown as Db;
    expect(await checkDatabase(silent, 50)).toEqual({ ok: false, reason: 'no answer within 50 ms' });
    const gone = await freshDatabase();
    await gone.close();
    const report = await checkReadiness({ db: gone.db, notifier: null, notifierRequired: false });
    expect(report.ready).toBe(false);
    expect(report.checks.database).toEqual({ ok: false, reason: expect.stringMatching(/^query failed \([A-Za-z0-9_]+\)$/) });
    expect(report.checks.migrations).toEqual({ ok: false, reason: 'database not answering' });
  });

  it('is not ready when a notifier lane stops coming back (a stuck sweep), though the other lane still passes', async () => {
    const stuck = started({ ...hangingTick(), stallMs: 300 });
    expect((await checkReadiness({ db: database.db, notifier: stuck, notifierRequired: true })).ready).toBe(true);
    await sleep(450);
    const report = await checkReadiness({ db: database.db, notifier: stuck, notifierRequired: true });
    expect(report.ready).toBe(false);
    expect(report.checks.notifier).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^lane 0 has not finished a pass or a send for \d+ s$/),
    });
    expect(stuck.health().lanes[1]).toBeLessThan(300);
  });

  it('is not ready when the notifier was never started or has stopped; with NOTIFIER=off it is not asked', async () => {
    expect((await checkReadiness({ db: database.db, notifier: null, notifierRequired: true })).checks.notifier).toEqual({
      ok: false,
      reason: 'not started',
    });
    const n = notifier();
    n.start();
    await n.stop();
    expect((await checkReadiness({ db: database.db, notifier: n, notifierRequired: true })).checks.notifier).toEqual({
      ok: false,
      reason: 'not running',
    });
    const off = await checkReadiness({ db: database.db, notifier: null, notifierRequired: false });
    expect(off).toMatchObject({ ready: true, checks: { notifier: { ok: true, skipped: expect.any(String) } } });
  });
});

describe('the /healthz and /readyz routes', () => {
  beforeAll(() => setRuntimeDatabase(database));

  it('/healthz answers 200 without asking the database, not cacheable', async () => {
    const answer = await call(healthz);
    expect(answer).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('/readyz answers 200 with its checks, then 503 naming the failed one; never cacheable, never a cookie', async () => {
    watchNotifier(started());
    const ready = await call(readyz);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, migrations: { ok: true }, notifier: { ok: true } },
    });
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(ready.headers.get('content-type')).toBe('application/json');
    expect(ready.headers.get('set-cookie')).toBeNull();

    watchNotifier(started({ ...hangingTick(), stallMs: 200 }));
    await sleep(350);
    const stale = await call(readyz);
    expect(stale.status).toBe(503);
    expect(stale.body).toMatchObject({
      status: 'not ready',
      checks: { database: { ok: true }, migrations: { ok: true }, notifier: { ok: false } },
    });
    expect(stale.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the notifier pass report', () => {
  it('counts what each pass claimed and where the rows stand after it; the log line has counts and no recipient', async () => {
    for (const number of ['1001', '1002', '1003']) {
      const result = await addCustomerNote(database.db, {
        orderNumber: number,
        text: 'Your parcel ships tomorrow.',
        actor: { type: 'staff', id: 'test' },
      });
      expect(result.ok).toBe(true);
    }
    const reports: PassReport[] = [];
    const told: string[] = [];
    const text = passLogger('text', (m) => told.push(m));
    const n = notifier({
      onPass: (r) => {
        reports.push(r);
        text(r);
      },
    });
    const handled = await n.tick();
    expect(handled).toBeGreaterThan(0);
    expect(await n.tick()).toBe(0);
    expect(reports).toHaveLength(2);
    const [busy, idle] = reports as [PassReport, PassReport];
    expect(busy).toMatchObject({ lane: null, claimed: handled, reclaimed: 0, outcomes: { sent: handled } });
    expect(idle).toMatchObject({ claimed: 0, outcomes: {} });
    // One line, for the pass that did work.
    expect(told).toEqual([expect.stringMatching(new RegExp(`^notifier pass: ${handled} messages in \\d+\\.\\d s \\(${handled} sent\\)$`))]);
    const recipients = rowsOf<{ recipient: string }>(await database.db.execute(sql`select recipient from notifications`));
    expect(recipients.length).toBe(handled);
    for (const { recipient } of recipients) expect(told.join('\n')).not.toContain(recipient);
  });
});
