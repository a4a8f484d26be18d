// The server's log holds no personal data: a run of bad input, and a query that fails with a customer's e-mail and
// phone among its parameters, leave neither in what the process printed.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type App, startApp } from '#tests/support/http-app.ts';

let app: App;
const printed: string[] = [];
const restore: Array<() => void> = [];

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = write;
    });
  }
  // Vitest routes console output around process.stdout, so both are listened to.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      printed.push(
        args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '),
      );
      original(...args);
    };
    restore.push(() => {
      console[method] = original;
    });
  }
  app = await startApp();
});
afterAll(async () => {
  for (const r of restore) r();
  await app?.close();
});

const emails = ['mira.secret@example.com', 'jonas.hidden@example.org', 'owner@northwind.example'];
const phones = ['+15555550199', '+4915112345678', '555-0142'];

it('bad input of every kind leaves no e-mail or phone in the log, and a failing query logs its code, not its values', async () => {
  // Lookups that match nothing, junk, and a NUL.
  for (const contact of [...emails, ...phones]) {
    await (await app.post('/', { number: '1001', contact })).arrayBuffer();
    await (await app.post('/', { number: '1001\u0000', contact })).arrayBuffer();
  }
  // Sign-ins with wrong passwords and junk addresses.
  for (const email of emails) {
    await (await app.post('/admin/login', { email, password: 'wrong' })).arrayBuffer();
    await (await app.post('/admin/login', { email: `${email}\u0000`, password: 'wrong' })).arrayBuffer();
  }
  // A query that fails with the customer's e-mail among its parameters: the table it reads is gone.
  await app.database.db.execute(sql`alter table customers rename to customers_away`);
  try {
    const failed = await app.post('/', { number: '1040', contact: emails[0] as string });
    expect(failed.status).toBe(500);
    expect(await failed.text()).toContain('Something went wrong');
    const phoneFailed = await app.post('/', { number: '1041', contact: phones[0] as string });
    expect(phoneFailed.status).toBe(500);
  } finally {
    await app.database.db.execute(sql`alter table customers_away rename to customers`);
  }
  const log = printed.join('');
  expect(log).toMatch(/POST \/ failed: database error 42P01 in select/);
  for (const value of [...emails, ...phones, '5555550199', '15112345678']) expect(log).not.toContain(value);
});
