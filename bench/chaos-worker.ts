// The worker bench/chaos.ts kills: `npm run worker` (same config, channels and sweep) with a short lease and backoff from CHAOS_* env.
//
// src/notify/worker-cli.ts uses the notifier's defaults (60 s lease, retries from 2 s up to 10 min), which would make
// 200 kill -9s take hours: a killed worker's rows wait out its lease. Everything else is the production wiring:
// config() from the environment, channelsFromConfig (the real Resend and Twilio SDKs), migrations at start, the FTC
// sweep in the loop, and a graceful stop on SIGTERM.
import { openConfiguredDatabase } from '#db/client.ts';
import { runSweep } from '#src/app/sweep.ts';
import { ConfigError, config } from '#src/config/config.ts';
import { channelsFromConfig } from '#src/notify/channels/from-config.ts';
import { createNotifier } from '#src/notify/worker.ts';

let cfg: ReturnType<typeof config>;
try {
  cfg = config();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
if (!cfg.DATABASE_URL) {
  console.error('bench/chaos-worker.ts needs DATABASE_URL');
  process.exit(1);
}
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

const database = await openConfiguredDatabase(cfg);
await database.migrate();
const { db } = database;
const { email, sms, kind } = channelsFromConfig(db, cfg);
let lastSweep = 0;
const notifier = createNotifier({
  db,
  email,
  sms,
  publicUrl: cfg.PUBLIC_URL,
  emailFrom: cfg.EMAIL_FROM ?? null,
  rates: { emailRequestsPerSecond: cfg.RESEND_REQUESTS_PER_SECOND, smsSegmentsPerSecond: cfg.TWILIO_SEGMENTS_PER_SECOND },
  leaseMs: num('CHAOS_LEASE_MS', 3_000),
  retry: { baseMs: num('CHAOS_RETRY_BASE_MS', 500), capMs: num('CHAOS_RETRY_CAP_MS', 5_000), maxAttempts: 8, windowMs: 23 * 3_600_000 },
  log: (m) => console.log(m),
  onTick: async (now) => {
    if (now.getTime() - lastSweep < 60_000) return;
    lastSweep = now.getTime();
    const report = await runSweep(db, now);
    if (report.cancelled || report.noticesSent) console.log(`sweep: ${report.cancelled} cancelled, ${report.noticesSent} notices sent`);
  },
});
notifier.start();
console.log(`chaos worker ${process.pid} ready, sending through ${kind}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: draining sends in flight…`);
  await notifier.stop();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
