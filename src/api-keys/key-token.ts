// An API key as integrators hold it: `pl_<id>.<secret>`, Lucia's id.secret scheme (src/auth/secret-token.ts) behind a
// prefix. The `pl_` prefix makes a leaked key recognisable (to people, to secret scanners matching
// `pl_[a-z2-7]{24}\.[a-z2-7]{39}`) and keeps it apart from a staff session token, which has the same id.secret shape;
// the id finds the row by its primary key, so the secret is only ever compared as a hash, in constant time.
import { issueToken, parseToken } from '#src/auth/secret-token.ts';

export const KEY_PREFIX = 'pl_';

export type IssuedApiKey = { id: string; secretHash: Uint8Array; key: string };

/** A new key: 120-bit id, 192-bit secret from the CSPRNG; `key` is shown once and never stored. */
export function issueApiKey(): IssuedApiKey {
  const { id, secretHash, token } = issueToken();
  return { id, secretHash, key: `${KEY_PREFIX}${token}` };
}

export type PresentedKey = { kind: 'missing' } | { kind: 'malformed' } | { kind: 'key'; id: string; secret: string };

/**
 * What an `Authorization` header presents: nothing, something that is not a Porchlight key in the Bearer scheme
 * (another scheme, a bare token, a key cut short), or a key's id and secret. The scheme name is case-insensitive
 * (RFC 9110 §11.1); one space separates it from the key.
 */
export function presentedKey(authorization: string | null): PresentedKey {
  if (authorization === null || authorization.trim() === '') return { kind: 'missing' };
  if (authorization.length > 200) return { kind: 'malformed' };
  const match = /^bearer +(\S+) *$/i.exec(authorization);
  const token = match?.[1];
  if (!token?.startsWith(KEY_PREFIX)) return { kind: 'malformed' };
  const parsed = parseToken(token.slice(KEY_PREFIX.length));
  return parsed ? { kind: 'key', ...parsed } : { kind: 'malformed' };
}
