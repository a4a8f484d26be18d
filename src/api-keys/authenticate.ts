// Who calls the JSON API: the key in `Authorization: Bearer pl_…`, checked against its stored hash in constant time,
// refused when missing, malformed, wrong or revoked (401 with `WWW-Authenticate: Bearer`, RFC 6750), and counted
// against its per-minute quota (429). A key's last use is written at most once a minute, not on every request.
import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { apiKeys } from '#db/schema/index.ts';
import { secretMatches } from '#src/auth/secret-token.ts';
import type { ApiScope, Principal } from '#src/commands/principal.ts';
import { config } from '#src/config/config.ts';
import type { Problem } from '../api/problem.ts';
import { type KeyRateLimiter, type RateLimitState, rateLimitHeaders, sharedKeyRateLimiter } from './key-rate-limit.ts';
import { presentedKey } from './key-token.ts';

export type ApiKeyPrincipal = Extract<Principal, { kind: 'api_key' }>;
export type Authenticated = { ok: true; principal: ApiKeyPrincipal; rateLimit: RateLimitState } | { ok: false; problem: Problem };

/** How stale `last_used_at` may be before a request moves it. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const REALM = 'realm="porchlight"';

function unauthorized(slug: string, title: string, detail: string, invalidToken: boolean): Problem {
  // RFC 6750 §3.1: a request with no credentials gets the challenge alone, without an error code.
  const challenge = invalidToken ? `Bearer ${REALM}, error="invalid_token"` : `Bearer ${REALM}`;
  return { status: 401, slug, title, detail, headers: { 'WWW-Authenticate': challenge } };
}

const MISSING = unauthorized(
  'api-key-missing',
  'API key missing',
  'Send an API key in the Authorization header: "Authorization: Bearer pl_…". The store owner creates keys under Settings → API keys.',
  false,
);
const MALFORMED = unauthorized(
  'api-key-malformed',
  'API key malformed',
  'The Authorization header does not hold a Porchlight API key: send "Bearer " followed by the whole key, which starts with pl_.',
  true,
);
const UNKNOWN = unauthorized('api-key-unknown', 'API key not recognised', 'This API key is not one of the store’s keys.', true);
const REVOKED = unauthorized(
  'api-key-revoked',
  'API key revoked',
  'This API key has been revoked. Ask the store owner for a new one.',
  true,
);

/** A key whose scope does not cover what the route needs (`write` covers `read`). */
export function insufficientScope(needed: ApiScope): Problem {
  return {
    status: 403,
    slug: 'insufficient-scope',
    title: 'Insufficient scope',
    detail: `This API key may only read; this needs a key with the ${needed} scope.`,
    headers: { 'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope", scope="${needed}"` },
  };
}

export async function authenticateApiKey(
  db: Queryable,
  request: Request,
  options: { now?: Date; limiter?: KeyRateLimiter } = {},
): Promise<Authenticated> {
  const now = options.now ?? new Date();
  const presented = presentedKey(request.headers.get('authorization'));
  if (presented.kind === 'missing') return { ok: false, problem: MISSING };
  if (presented.kind === 'malformed') return { ok: false, problem: MALFORMED };
  const [row] = await db
    .select({
      id: apiKeys.id,
      secretHash: apiKeys.secretHash,
      scope: apiKeys.scope,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.id, presented.id));
  if (!row || !secretMatches(presented.secret, row.secretHash)) return { ok: false, problem: UNKNOWN };
  if (row.revokedAt !== null) return { ok: false, problem: REVOKED };
  await touchLastUsed(db, row, now);
  const limiter = options.limiter ?? sharedKeyRateLimiter(config().API_RATE_LIMIT_PER_MINUTE);
  const rateLimit = limiter.take(row.id, now);
  if (rateLimit.limited) {
    const { policy, resetSeconds } = rateLimit;
    return {
      ok: false,
      problem: {
        status: 429,
        slug: 'rate-limited',
        title: 'Too many requests',
        detail: `This API key may make ${policy.quota} requests per ${policy.windowSeconds} seconds. Try again in ${resetSeconds} seconds.`,
        headers: rateLimitHeaders(rateLimit),
      },
    };
  }
  return { ok: true, principal: { kind: 'api_key', keyId: row.id, scope: row.scope }, rateLimit };
}

/** Moves `last_used_at` when it is a minute old or more; the condition is repeated in SQL so racing requests write once. */
async function touchLastUsed(db: Queryable, row: { id: string; lastUsedAt: Date | null }, now: Date): Promise<void> {
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (row.lastUsedAt !== null && row.lastUsedAt > staleBefore) return;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lte(apiKeys.lastUsedAt, staleBefore))));
}
