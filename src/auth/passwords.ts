// Staff password hashing: argon2id with OWASP's parameters, a policy check, and a dummy hash so unknown e-mails cost the same.
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/**
 * OWASP Password Storage Cheat Sheet: argon2id, 19 MiB memory, 2 passes, 1 lane (≈ 20 ms to verify here).
 * `algorithm: 2` is Argon2id; the package's `Algorithm` is an ambient const enum, which isolated modules cannot read.
 */
export const ARGON2_OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN_LENGTH = 12;
/** Long passphrases are welcome; the cap only bounds the work one request can ask for. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The hash of a random password nobody knows, made with ARGON2_OPTIONS (a unit test keeps them in step).
 * Verifying against it for an unknown e-mail makes that answer take as long as a wrong password.
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$J+HxtrILJAoBMVFcCm/8JQ$uPpWXm9Kthjtoa7r51r0Cwk/ZGTtAadswqDlnIiuZII';

export type PasswordProblem = 'password_too_short' | 'password_too_long';

/** Length in characters as people count them (code points), not UTF-16 units. */
export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'password_too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'password_too_long';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password and for a stored hash that cannot be parsed, never a throw. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** Spends the same time as verifying a real hash, and always fails. */
export async function verifyDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}

/** True when a stored hash was made with other parameters than today's, so it should be re-hashed at sign-in. */
export function needsRehash(storedHash: string): boolean {
  try {
    const o = parseOptions(storedHash);
    return (
      o.algorithm !== ARGON2_OPTIONS.algorithm ||
      o.memoryCost !== ARGON2_OPTIONS.memoryCost ||
      o.timeCost !== ARGON2_OPTIONS.timeCost ||
      o.parallelism !== ARGON2_OPTIONS.parallelism ||
      o.outputLen !== ARGON2_OPTIONS.outputLen
    );
  } catch {
    return true;
  }
}

/** A strong random password for the CLI to print once: 128 bits from the CSPRNG, base32, grouped for reading aloud. */
export function generatePassword(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return (encodeBase32LowerCaseNoPadding(bytes).match(/.{1,6}/g) ?? []).join('-');
}
