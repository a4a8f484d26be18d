// `npm run chaos [-- --quick] [--kills N]`: kill -9 the worker at random moments during a 10,000-message fan-out (SPEC 6, Reliability).
//
// On PostgreSQL (DATABASE_URL, else postgres://postgres@127.0.0.1:5432; a fresh database is created and dropped):
//   1. seeds a store where one SKU has open lines (a quarter of the customers with SMS consent) and moves the SKU to a
//      date that needs a delay option notice: 10,000 required messages (e-mail and SMS) queued in one fan-out;
//   2. starts the Resend and Twilio fakes in this process and runs bench/chaos-worker.ts (the `npm run worker` wiring
//      with a 3 s lease) as a child, SIGKILLing it at a random moment of each life and restarting it, `--kills` times,
//      while injecting provider faults (429 with Retry-After, 500/503, connection resets before and after the
//      provider accepted the message, a few hangs after acceptance);
//   3. lets a last worker finish (SIGTERM at the end), then checks every notification against what the fakes got:
//      lost (final state "sent" but nothing at the fake, or never final), e-mails delivered twice, SMS duplicates,
//      and messages the fake got although the row says failed.
// Exit status 1 if any e-mail was duplicated or any message lost; 2 if the run could not be set up.
import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '#db/client.ts';
import { STORE_TIME_ZONE } from '#db/factories.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import { type ResendFailMode, startResendFake } from '#tests/fakes/resend-fake.ts';
import { startTwilioFake, type TwilioFailMode } from '#tests/fakes/twilio-fake.ts';
import { DEFAULT_POSTGRES_URL, freshPostgres, postgresAnswers, prepareStore, seedSkuLines } from './lib/notifier-store.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER = fileURLToPath(new URL('./chaos-worker.ts', import.meta.url));
const API_KEY = 're_chaos';
const SMS_FROM = '+15005550006';
const PUBLIC_URL = 'https://status.example';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    kills: { type: 'string' },
    messages: { type: 'string' },
    'max-life-ms': { type: 'string', default: '1000' },
    'email-rate': { type: 'string', default: '0' },
    'sms-rate': { type: 'string', default: '0' },
    'resend-latency-ms': { type: 'string', default: '400' },
    'twilio-latency-ms': { type: 'string', default: '200' },
    'lease-ms': { type: 'string', default: '3000' },
    'fault-rate': { type: 'string', default: '0.1' },
    'time-limit-s': { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm run chaos -- [--quick] [--kills N (200; quick 20)] [--messages N (10000; quick 2000)] [--max-life-ms 1000]
  [--email-rate 0 (Resend requests/s, 0 = unthrottled)] [--sms-rate 0 (segments/s per sender)] [--lease-ms 3000]
  [--resend-latency-ms 400] [--twilio-latency-ms 200] (provider answer times at the fakes)
  [--fault-rate 0.1 (share of provider requests answered with a fault)] [--time-limit-s (900; quick 300)] [--seed N]`);
  process.exit(0);
}
const quick = values.quick;
const kills = Number(values.kills ?? (quick ? 20 : 200));
const messages = Number(values.messages ?? (quick ? 2_000 : 10_000));
const maxLifeMs = Number(values['max-life-ms']);
const timeLimitMs = Number(values['time-limit-s'] ?? (quick ? 300 : 900)) * 1000;
const faultRate = Number(values['fault-rate']);

// A small seeded PRNG, so a run can be repeated (--seed).
let state = Number(values.seed ?? Date.now() % 2 ** 31) >>> 0 || 1;
const seedUsed = state;
function random(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (m: string) => console.error(`[${elapsed()}] ${m}`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL is required.

const adminUrl = process.env.DATABASE_URL?.trim() || DEFAULT_POSTGRES_URL;
if (!(await postgresAnswers(adminUrl))) {
  console.error(
    `npm run chaos needs PostgreSQL (several worker processes share one database; PGlite allows one process).\n` +
      `Nothing answers at ${new URL(adminUrl).host}: set DATABASE_URL=postgres://user@host:port/db (a fresh database is created on that server).`,
  );
  process.exit(2);
}
const database = await freshPostgres(adminUrl, `porchlight_chaos_${process.pid}`);
const { db } = database;
// Real providers take a while to answer; the fakes do too, which widens the window a kill can land in.
const resend = await startResendFake({ apiKey: API_KEY, latencyMs: Number(values['resend-latency-ms']) });
const twilio = await startTwilioFake({ latencyMs: Number(values['twilio-latency-ms']) });
let child: ChildProcess | null = null;

async function cleanup() {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await resend.close().catch(() => {});
  await twilio.close().catch(() => {});
  await database.close().catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the chaos run…`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function openCount(d: Db): Promise<number> {
  const [r] = rowsOf<{ n: number | string }>(
    await d.execute(sql`select count(*) as n from notifications where status in ('queued', 'sending')`),
  );
  return Number(r?.n ?? 0);
}

let exitCode = 0;
try {
  // 1. The fan-out: one SKU, a quarter of the customers with SMS consent, moved to a date that needs a notice.
  const now = new Date();
  const today = toCalendarDate(now, STORE_TIME_ZONE);
  const lines = Math.round(messages / 1.25);
  await prepareStore(db, now, { coalesceSeconds: 0, skus: ['CHAOS-SKU'] });
  await seedSkuLines(db, { sku: 'CHAOS-SKU', lines, now, smsEvery: 4 });
  const move = await moveSkuEta(db, {
    sku: 'CHAOS-SKU',
    from: addDays(today, 26),
    to: addDays(today, 30),
    reason: 'The factory is retooling',
    actor: { type: 'staff', id: 'chaos' },
  });
  if (!move.ok) throw new Error(`moveSkuEta: ${move.reason}`);
  const [queued] = rowsOf<{ email: number | string; sms: number | string }>(
    await db.execute(sql`select count(*) filter (where channel = 'email') as email, count(*) filter (where channel = 'sms') as sms
                         from notifications where status = 'queued'`),
  );
  const total = Number(queued?.email ?? 0) + Number(queued?.sms ?? 0);
  log(
    `fan-out: ${move.linesMoved} lines moved; ${total} messages queued (${queued?.email} e-mail, ${queued?.sms} SMS); ` +
      `seed ${seedUsed}; ${kills} kills, life after ready 0–${maxLifeMs} ms; rates: e-mail ${values['email-rate']} req/s, SMS ${values['sms-rate']} seg/s (0 = unthrottled); ` +
      `provider latency ${values['resend-latency-ms']} / ${values['twilio-latency-ms']} ms`,
  );

  // 2. Workers, kills and faults.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PUBLIC_URL,
    RESEND_API_KEY: API_KEY,
    RESEND_BASE_URL: resend.url,
    EMAIL_FROM: 'Northwind Outfitters <orders@northwind.example>',
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: SMS_FROM,
    TWILIO_MESSAGING_SERVICE_SID: '',
    TWILIO_BASE_URL: twilio.url,
    RESEND_REQUESTS_PER_SECOND: values['email-rate'],
    TWILIO_SEGMENTS_PER_SECOND: values['sms-rate'],
    CHAOS_LEASE_MS: values['lease-ms'],
    // Restarts are most of a chaos run's time: let Node reuse compiled code between them.
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'porchlight-chaos-compile-cache'),
  };
  const workerLog: string[] = [];
  function startWorker(): Promise<ChildProcess> {
    const c = spawn(process.execPath, [WORKER], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`worker not ready after 60 s:\n${out}\n${workerLog.slice(-20).join('\n')}`)), 60_000);
      c.stdout?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        if (/notifier:/.test(text)) workerLog.push(...text.split('\n').filter((l) => l.includes('notifier:')));
        out += text;
        if (out.includes(' ready')) {
          clearTimeout(timer);
          resolve(c);
        }
      });
      c.stderr?.on('data', (chunk: Buffer) => workerLog.push(...chunk.toString().split('\n').filter(Boolean)));
      c.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!out.includes(' ready'))
          reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${out}\n${workerLog.slice(-20).join('\n')}`));
      });
    });
  }
  const exited = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r()));

  const faults = new Map<string, number>();
  const resendFaults: Array<[string, ResendFailMode]> = [
    ['resend 429 Retry-After 1', { status: 429, retryAfter: 1 }],
    ['resend 500', { status: 500 }],
    ['resend 503', { status: 503, name: 'service_unavailable' }],
    ['resend reset', 'reset'],
    ['resend reset after accept', 'reset-after-accept'],
  ];
  const twilioFaults: Array<[string, TwilioFailMode]> = [
    ['twilio 429', { status: 429, retryAfter: 1 }],
    ['twilio 500', { status: 500 }],
    ['twilio 503', { status: 503 }],
    ['twilio reset', 'reset'],
    ['twilio reset after accept', 'reset-after-accept'],
  ];
  // Faults follow the traffic: for each request a provider received, the next one fails with probability
  // --fault-rate (queued faults wait for a request, so a quiet provider does not pile them up).
  let injecting = true;
  const injector = (async () => {
    let seenResend = resend.requests;
    let seenTwilio = twilio.requests;
    const add = (name: string) => faults.set(name, (faults.get(name) ?? 0) + 1);
    while (injecting) {
      await sleep(50);
      for (; seenResend < resend.requests; seenResend++) {
        if (random() >= faultRate) continue;
        if (random() < 0.05) {
          resend.failNext(1, 'hang-after-accept');
          add('resend hang after accept');
        } else {
          const [name, mode] = pick(resendFaults);
          resend.failNext(1, mode);
          add(name);
        }
      }
      for (; seenTwilio < twilio.requests; seenTwilio++) {
        if (random() >= faultRate) continue;
        if (random() < 0.05) {
          twilio.failNext(1, 'hang-after-accept');
          add('twilio hang after accept');
        } else {
          const [name, mode] = pick(twilioFaults);
          twilio.failNext(1, mode);
          add(name);
        }
      }
    }
  })();

  let killsDone = 0;
  let killsWhileOpen = 0;
  const lives: number[] = [];
  const deadline = performance.now() + timeLimitMs;
  while (killsDone < kills && performance.now() < deadline) {
    const c = await startWorker();
    const life = random() * maxLifeMs;
    lives.push(life);
    await sleep(life);
    const open = await openCount(db);
    c.kill('SIGKILL');
    await exited(c);
    killsDone++;
    if (open > 0) killsWhileOpen++;
    if (killsDone % 10 === 0 || open === 0)
      log(`kill ${killsDone}/${kills}: ${open} messages open; at the fakes ${resend.emails.length} e-mails, ${twilio.messages.length} SMS`);
    if (open === 0) break;
  }
  injecting = false;
  await injector;

  // 3. A last worker finishes the run.
  log(`kills done (${killsDone}, ${killsWhileOpen} while messages were open); a last worker drains the rest`);
  const last = await startWorker();
  let open = await openCount(db);
  while (open > 0 && performance.now() < deadline) {
    await sleep(500);
    open = await openCount(db);
  }
  last.kill('SIGTERM');
  const stopTimer = setTimeout(() => last.kill('SIGKILL'), 20_000);
  await exited(last);
  clearTimeout(stopTimer);
  child = null;
  const runS = (performance.now() - started) / 1000;

  // 4. Every notification against what the fakes received, matched by the order-page token in each message.
  type Row = { id: number; channel: 'email' | 'sms'; status: string; attempts: number; last_error: string | null; token: string | null };
  const rows = rowsOf<Row>(
    await db.execute(
      sql`select id, channel, status, attempts, last_error, rendered->>'accessTokenId' as token from notifications order by id`,
    ),
  );
  const tokenOf = (text: string | null | undefined) => /\/orders\/[^/?\s]+\?t=([a-z2-7]{24})\./.exec(text ?? '')?.[1] ?? null;
  const emailsByToken = new Map<string, number>();
  let emailsWithoutToken = 0;
  for (const e of resend.emails) {
    const t = tokenOf(e.text);
    if (t) emailsByToken.set(t, (emailsByToken.get(t) ?? 0) + 1);
    else emailsWithoutToken++;
  }
  const smsByToken = new Map<string, number>();
  let smsWithoutToken = 0;
  for (const m of twilio.messages) {
    const t = tokenOf(m.body);
    if (t) smsByToken.set(t, (smsByToken.get(t) ?? 0) + 1);
    else smsWithoutToken++;
  }
  const known = new Set(rows.map((r) => r.token).filter((t): t is string => t !== null));
  const statusCount = new Map<string, number>();
  const failReasons = new Map<string, number>();
  let lostNotFinal = 0;
  let lostSentNotAtFake = 0;
  let emailTwice = 0;
  let smsTwice = 0;
  let atFakeButFailed = 0;
  for (const r of rows) {
    statusCount.set(`${r.channel} ${r.status}`, (statusCount.get(`${r.channel} ${r.status}`) ?? 0) + 1);
    const got = r.token ? ((r.channel === 'email' ? emailsByToken : smsByToken).get(r.token) ?? 0) : 0;
    if (r.status === 'queued' || r.status === 'sending') lostNotFinal++;
    if ((r.status === 'sent' || r.status === 'delivered') && got === 0) lostSentNotAtFake++;
    if (r.status === 'failed') {
      // Grouped by kind: "gave up after N attempts; last error: 503 …" → "gave up after N attempts; last error: 503".
      const reason = (r.last_error ?? '')
        .replace(/after \d+ attempts/, 'after N attempts')
        .replace(/(last error: (?:network: |reconcile failed: )?\S+).*$/, '$1');
      failReasons.set(reason, (failReasons.get(reason) ?? 0) + 1);
      if (got > 0) atFakeButFailed++;
    }
    if (got > 1) {
      if (r.channel === 'email') emailTwice += got - 1;
      else smsTwice += got - 1;
    }
  }
  // A message whose token is on no notification was rendered again after an earlier copy went out: a duplicate too.
  const orphanEmails = [...emailsByToken.keys()].filter((t) => !known.has(t)).reduce((s, t) => s + (emailsByToken.get(t) ?? 0), 0);
  const orphanSms = [...smsByToken.keys()].filter((t) => !known.has(t)).reduce((s, t) => s + (smsByToken.get(t) ?? 0), 0);
  const emailDuplicates = emailTwice + orphanEmails + emailsWithoutToken;
  const smsDuplicates = smsTwice + orphanSms + smsWithoutToken;
  const lost = lostNotFinal + lostSentNotAtFake;
  const finalRows = rows.length - lostNotFinal;

  const out: Array<[string, string | number, string]> = [
    ['messages in the fan-out', rows.length, `${total} queued at the start`],
    ['worker kills (SIGKILL)', killsDone, `${killsWhileOpen} while messages were still open; life after ready 0–${maxLifeMs} ms`],
    ['provider faults injected', [...faults.values()].reduce((a, b) => a + b, 0), [...faults].map(([k, v]) => `${k} ${v}`).join(', ')],
    ['final (sent / failed / suppressed)', finalRows, [...statusCount].map(([k, v]) => `${k} ${v}`).join(', ')],
    ['lost: never final', lostNotFinal, 'must be 0'],
    ['lost: "sent" but not at the fake', lostSentNotAtFake, 'must be 0'],
    [
      'e-mails delivered twice',
      emailDuplicates,
      `must be 0 (same message twice ${emailTwice}, re-rendered copies ${orphanEmails}, unmatched ${emailsWithoutToken})`,
    ],
    [
      'SMS duplicates',
      smsDuplicates,
      `reported (same message twice ${smsTwice}, re-rendered copies ${orphanSms}, unmatched ${smsWithoutToken})`,
    ],
    ['at the fake although the row says failed', atFakeButFailed, 'reported'],
    [
      'at the fakes',
      `${resend.emails.length} e-mails, ${twilio.messages.length} SMS`,
      `${resend.requests} Resend and ${twilio.requests} Twilio requests`,
    ],
    [
      'attempts per message',
      `max ${Math.max(0, ...rows.map((r) => Number(r.attempts)))}`,
      `${rows.filter((r) => Number(r.attempts) >= 8).length} rows at or past the 8-attempt limit`,
    ],
    ['failure reasons', failReasons.size, [...failReasons].map(([k, v]) => `${v}× ${k}`).join('; ') || '-'],
    ['run time', `${runS.toFixed(0)} s`, `time limit ${timeLimitMs / 1000} s`],
  ];
  console.log(`\nChaos (SPEC 6 Reliability) — ${new Date().toISOString()}${quick ? ' — QUICK RUN' : ''} — PostgreSQL, seed ${seedUsed}\n`);
  console.log('| measure | count | detail |\n|---|---:|---|');
  for (const [k, v, d] of out) console.log(`| ${k} | ${v} | ${d.replaceAll('|', '\\|')} |`);
  if (workerLog.length) console.log(`\nworker log (last lines):\n  ${workerLog.slice(-8).join('\n  ')}`);
  const ok = lost === 0 && emailDuplicates === 0;
  console.log(`\n${ok ? 'PASS' : 'FAIL'}: ${lost} lost, ${emailDuplicates} e-mails duplicated, ${smsDuplicates} SMS duplicated`);
  exitCode = ok ? 0 : 1;
} catch (error) {
  console.error('chaos run failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 2;
} finally {
  await cleanup();
}
process.exit(exitCode);
