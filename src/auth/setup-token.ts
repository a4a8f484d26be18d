// The one-time setup link: while no staff account exists, only someone who can read the server's output may create
// the first owner (the first visitor to /admin/setup could otherwise take the store). The secret lives in this
// process only (on globalThis, which the bundled pages share with server.mjs) and is stored as its SHA-256.
import { hashSecret, secretMatches } from './secret-token.ts';

const KEY = Symbol.for('porchlight.setupToken');
type Holder = { [KEY]?: Uint8Array };
const holder = globalThis as Holder;

function randomSecret(): string {
  const buf = new Uint8Array(24); // 192 bits from the CSPRNG
  crypto.getRandomValues(buf);
  return Buffer.from(buf).toString('base64url');
}

/**
 * Issues this process's setup secret if it has none and tells the operator the link; returns whether one was issued
 * now. server.mjs calls it at start when no staff exists; the setup page calls it too (under `astro dev`).
 */
export function ensureSetupLink(publicUrl: string, tell: (message: string) => void): boolean {
  if (holder[KEY]) return false;
  const secret = randomSecret();
  holder[KEY] = hashSecret(secret);
  tell(`No staff account yet. Create the owner at ${publicUrl}/admin/setup?key=${secret}`);
  tell('  (or run: npm run porchlight -- staff:create --email E --name N --role owner)');
  return true;
}

export function setupKeyMatches(key: string | null | undefined): boolean {
  const stored = holder[KEY];
  if (!stored || typeof key !== 'string' || key.length === 0 || key.length > 100) return false;
  return secretMatches(key, stored);
}

/** Forgets the secret once the owner exists (and for tests). */
export function clearSetupLink(): void {
  delete holder[KEY];
}
