// Load generators: autocannon for closed-loop throughput, and a small open-loop fixed-rate generator for latency.
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

export type Target = { origin: string; requests: { path: string; headers: Record<string, string> }[] };

export type ClosedLoopResult = { reqPerSec: number; p50: number; p99: number; ok: number; bad: number };

/**
 * Closed loop (autocannon): `connections` keep one request each in flight, as fast as the server answers.
 * Gives the maximum request rate; its latencies hide queueing, so they are not the SPEC's p99.
 */
export async function closedLoop(target: Target, seconds: number, connections = 20): Promise<ClosedLoopResult> {
  const result = await autocannon({
    url: target.origin,
    connections,
    duration: seconds,
    requests: target.requests.map((r) => ({ method: 'GET', ...r })),
  });
  return {
    reqPerSec: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Autocannon's own rate limit (`overallRate`). Not a true open loop: each connection sends its share of the second
 * back to back and then waits for the next second, so the requests arrive in bursts. Reported beside openLoop.
 */
export async function autocannonRate(target: Target, seconds: number, rate: number, connections = 20): Promise<ClosedLoopResult> {
  const result = await autocannon({
    url: target.origin,
    connections,
    duration: seconds,
    overallRate: rate,
    // autocannon corrects for coordinated omission with an expected interval of ceil(1/rate) = 1 ms, which floods the
    // histogram with synthetic samples; the bursts are the honest part, so plain latencies are reported.
    ignoreCoordinatedOmission: true,
    requests: target.requests.map((r) => ({ method: 'GET', ...r })),
  });
  return {
    reqPerSec: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

export type OpenLoopResult = { rate: number; sent: number; p50: number; p99: number; max: number; bad: number };

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Open loop at a fixed rate: request i is due at start + i/rate whatever happened to earlier ones, over as many
 * keep-alive connections as needed. Latency runs from the due time to the last byte of the answer, so a stalled
 * server (or a late timer here) counts in full: no coordinated omission.
 */
export async function openLoop(target: Target, seconds: number, rate: number): Promise<OpenLoopResult> {
  const { hostname, port } = new URL(target.origin);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(seconds * rate);
  const latencies = new Float64Array(total);
  let done = 0;
  let bad = 0;
  let sent = 0;
  const start = performance.now() + 20;
  await new Promise<void>((resolve) => {
    const finishOne = (index: number, due: number, ok: boolean) => {
      latencies[index] = performance.now() - due;
      if (!ok) bad++;
      if (++done === total) resolve();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        const index = sent++;
        const due = start + (index * 1000) / rate;
        const r = target.requests[index % target.requests.length] as Target['requests'][number];
        const req = request({ agent, hostname, port, path: r.path, headers: r.headers }, (res) => {
          res.resume();
          res.once('end', () => finishOne(index, due, res.statusCode === 200));
          res.once('error', () => finishOne(index, due, false));
        });
        req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
        req.once('error', () => finishOne(index, due, false));
        req.end();
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - performance.now()));
    };
    setTimeout(tick, 20);
  });
  agent.destroy();
  const sorted = latencies.sort();
  return { rate, sent, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN, bad };
}
