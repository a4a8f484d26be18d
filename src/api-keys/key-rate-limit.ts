// Requests per API key: a fixed window per key, counted in this process's memory, answered with the IETF RateLimit
// header fields (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` and `RateLimit`) and `Retry-After`.
//
// Not the table-backed counters of src/auth/rate-limit.ts, on purpose. Those count rare events (failed sign-ins and
// lookups) where the limit must hold across processes because it guards a guessable secret. Here every request of a
// key would upsert the same row: a write per request, and concurrent requests of one key queueing on that row's lock,
// which is the throughput the limit is meant to protect. An API key's secret cannot be guessed (192 bits), so the
// limit only shares out the server's capacity, and the web process that serves the API is the one to count it (with
// several web processes each allows the quota). Only verified keys are counted, so the map holds at most one entry per
// live key.

export type RateLimitPolicy = { name: string; quota: number; windowSeconds: number };

export type RateLimitState = {
  policy: RateLimitPolicy;
  /** Requests left in this window (0 once limited). */
  remaining: number;
  /** Seconds until the window ends and the quota is whole again (at least 1). */
  resetSeconds: number;
  limited: boolean;
};

type Window = { startMs: number; count: number };

export class KeyRateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly policy: RateLimitPolicy;
  constructor(policy: RateLimitPolicy) {
    this.policy = policy;
  }

  /** Counts one request of `keyId` at `now` and says whether it is within the quota. */
  take(keyId: string, now: Date): RateLimitState {
    const windowMs = this.policy.windowSeconds * 1000;
    const t = now.getTime();
    let window = this.#windows.get(keyId);
    if (!window || t - window.startMs >= windowMs || t < window.startMs) {
      if (this.#windows.size >= 10_000) this.#forgetEnded(t);
      window = { startMs: t, count: 0 };
      this.#windows.set(keyId, window);
    }
    window.count += 1;
    const limited = window.count > this.policy.quota;
    return {
      policy: this.policy,
      remaining: Math.max(0, this.policy.quota - window.count),
      resetSeconds: Math.max(1, Math.ceil((window.startMs + windowMs - t) / 1000)),
      limited,
    };
  }

  #forgetEnded(t: number) {
    const windowMs = this.policy.windowSeconds * 1000;
    for (const [key, window] of this.#windows) if (t - window.startMs >= windowMs) this.#windows.delete(key);
  }
}

/** `RateLimit-Policy`, `RateLimit` and, once limited, `Retry-After` (structured fields, draft -08 onward). */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const { name, quota, windowSeconds } = state.policy;
  const headers: Record<string, string> = {
    'RateLimit-Policy': `"${name}";q=${quota};w=${windowSeconds}`,
    RateLimit: `"${name}";r=${state.remaining};t=${state.resetSeconds}`,
  };
  if (state.limited) headers['Retry-After'] = String(state.resetSeconds);
  return headers;
}

let shared: KeyRateLimiter | undefined;

/** The web process's limiter, with the configured quota per minute. */
export function sharedKeyRateLimiter(quotaPerMinute: number): KeyRateLimiter {
  if (!shared || shared.policy.quota !== quotaPerMinute)
    shared = new KeyRateLimiter({ name: 'per-key', quota: quotaPerMinute, windowSeconds: 60 });
  return shared;
}
