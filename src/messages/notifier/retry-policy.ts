// When to try a message again: capped exponential backoff with full jitter, inside the provider's 24 h key window.

export type RetryPolicy = { baseMs: number; capMs: number; maxAttempts: number; windowMs: number };

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 2_000, capMs: 10 * 60_000, maxAttempts: 8, windowMs: 23 * 3_600_000 };

export type RetryDecision = { retry: true; at: Date } | { retry: false; reason: string };

/**
 * `attempts` is how many attempts were made (≥ 1). Retry-After wins over the backoff when the provider gives one.
 * No retry is planned past `windowMs` after the first attempt: Resend keeps idempotency keys for 24 h.
 */
export function nextRetry(args: {
  attempts: number;
  firstAttemptAt: Date;
  now: Date;
  retryAfterMs: number | null;
  policy?: RetryPolicy;
  random?: () => number;
}): RetryDecision {
  const policy = args.policy ?? DEFAULT_RETRY;
  const random = args.random ?? Math.random;
  if (args.attempts >= policy.maxAttempts) return { retry: false, reason: `gave up after ${args.attempts} attempts` };
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (args.attempts - 1));
  const delay = args.retryAfterMs !== null ? Math.max(args.retryAfterMs, 0) : Math.floor(random() * ceiling);
  const at = new Date(args.now.getTime() + delay);
  if (at.getTime() - args.firstAttemptAt.getTime() > policy.windowMs) {
    return {
      retry: false,
      reason: `gave up: the next attempt would fall outside the ${Math.round(policy.windowMs / 3_600_000)} h retry window`,
    };
  }
  return { retry: true, at };
}
