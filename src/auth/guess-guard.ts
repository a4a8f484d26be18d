// Brute-force protection without a lockout (docs/decisions/028): failures are counted per (subject, client) and per
// client, and a subject under attack is slowed down for everyone instead of being locked. A client that is itself
// within its limits always gets its answer checked, so an attacker elsewhere cannot keep the owner or a customer out.
import { createHash } from 'node:crypto';
import type { Queryable } from '#db/client.ts';
import { bookTurn, clearFailures, countAttempt, giveBack, markSeen, seenSince } from '#src/auth/rate-limit.ts';

export type GuessPolicy = {
  /** Failures one client may make at one subject (account, order) in a window; the next attempt gets a 429. */
  perSubjectClient: number;
  /** Failures one client may make across all subjects in a window. */
  perClient: number;
  windowMs: number;
  /** Failures at one subject from all clients in a window before its attempts take turns. */
  slowAfter: number;
  /** Time between turns at a subject under attack: the most guesses per second anyone gets at it. */
  spacingMs: number;
};

/** A client that proved itself at a subject (signed in, found the order) skips the turns there for this long. */
export const KNOWN_CLIENT_MS = 30 * 24 * 60 * 60_000;

export type Guess = { scope: string; subject: string; client: string };
export type GuessOutcome<T> = { kind: 'right'; value: T } | { kind: 'wrong' } | { kind: 'limited' };
export type Wait = (ms: number) => Promise<void>;

const sleep: Wait = (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/** Identities are hashed before they are stored: the limiter needs identity, not the address or e-mail. */
const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

export function guessKeys(guess: Guess) {
  const subject = digest(guess.subject);
  const client = digest(guess.client);
  return {
    pair: `${guess.scope}:pair:${subject}:${client}`,
    client: `${guess.scope}:client:${client}`,
    subject: `${guess.scope}:subject:${subject}`,
    turn: `${guess.scope}:turn:${subject}`,
    known: `${guess.scope}:known:${subject}:${client}`,
  };
}

/**
 * Runs `check` (which answers the guess: a value when right, null when wrong) within the policy. Every attempt is
 * counted before it is checked, so a burst of parallel requests cannot overrun a limit; a right answer gives its count
 * back. Waiting for a turn happens outside any transaction and holds no database connection.
 */
export async function guardGuess<T>(
  db: Queryable,
  guess: Guess,
  policy: GuessPolicy,
  now: Date,
  check: () => Promise<T | null>,
  wait: Wait = sleep,
): Promise<GuessOutcome<T>> {
  const keys = guessKeys(guess);
  const [pairCount = 0, clientCount = 0] = await countAttempt(db, [keys.pair, keys.client], now, policy.windowMs);
  if (pairCount > policy.perSubjectClient || clientCount > policy.perClient) return { kind: 'limited' };

  const [subjectCount = 0] = await countAttempt(db, [keys.subject], now, policy.windowMs);
  if (subjectCount > policy.slowAfter && !(await seenSince(db, keys.known, now, KNOWN_CLIENT_MS))) {
    await wait(await bookTurn(db, keys.turn, now, policy.spacingMs));
  }

  const value = await check();
  if (value === null) return { kind: 'wrong' };
  await giveBack(db, [keys.client, keys.subject]);
  await clearFailures(db, [keys.pair]);
  await markSeen(db, keys.known, now);
  return { kind: 'right', value };
}
