// The worker bench/chaos.ts kills: `npm run worker` itself, with a short lease and backoff from CHAOS_* env.
//
// The defaults (60 s lease, retries from 2 s up to 10 min) would make 200 kill -9s take hours: a killed worker's rows
// wait out its lease. Everything else is the production wiring (src/messages/notifier/worker-process.ts).
import { runWorkerProcess } from '#src/messages/notifier/worker-process.ts';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

await runWorkerProcess({
  leaseMs: num('CHAOS_LEASE_MS', 3_000),
  retry: { baseMs: num('CHAOS_RETRY_BASE_MS', 500), capMs: num('CHAOS_RETRY_CAP_MS', 5_000), maxAttempts: 8, windowMs: 23 * 3_600_000 },
});
