// Pure parts of staff auth: password policy and hashing parameters, safe `next` paths, cookie settings, role checks.
import { parseOptions } from '@node-rs/argon2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARGON2_OPTIONS,
  DUMMY_HASH,
  generatePassword,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyDummy,
  verifyPassword,
} from '#src/auth/passwords.ts';
import { loginUrl, requireRole, safeNextPath } from '#src/auth/require-staff.ts';
import { blankSessionCookie, SESSION_INACTIVITY_MS, STAFF_SESSION_COOKIE, sessionCookie } from '#src/auth/staff-sessions.ts';

describe('staff passwords', () => {
  it('asks for 12 to 256 characters, counted as people count them', () => {
    expect(passwordProblem('short-pass1')).toBe('password_too_short');
    expect(passwordProblem('long-enough-1')).toBeNull();
    expect(passwordProblem('🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑')).toBe('password_too_short'); // 11 emoji, 22 UTF-16 units
    expect(passwordProblem('x'.repeat(256))).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toBe('password_too_long');
  });

  it('hashes with argon2id and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('keeps the dummy hash made with today’s parameters, so unknown e-mails cost a real verification', async () => {
    const o = parseOptions(DUMMY_HASH);
    expect(o).toMatchObject({
      algorithm: ARGON2_OPTIONS.algorithm,
      memoryCost: ARGON2_OPTIONS.memoryCost,
      timeCost: ARGON2_OPTIONS.timeCost,
      parallelism: ARGON2_OPTIONS.parallelism,
      outputLen: ARGON2_OPTIONS.outputLen,
    });
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    expect(await verifyDummy('porchlight-demo-owner')).toBe(false);
  });

  it('asks for a re-hash of weaker or foreign hashes', () => {
    expect(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$J+HxtrILJAoBMVFcCm/8JQ$uPpWXm9Kthjtoa7r51r0Cwk/ZGTtAadswqDlnIiuZII')).toBe(true);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });

  it('generates long random passwords that pass the policy and never repeat', () => {
    const seen = new Set(Array.from({ length: 200 }, generatePassword));
    expect(seen.size).toBe(200);
    for (const p of seen) {
      expect(p).toMatch(/^[a-z2-7]{6}(-[a-z2-7]{1,6}){4}$/);
      expect(passwordProblem(p)).toBeNull();
    }
  });
});

describe('where sign-in returns to', () => {
  it('keeps console paths with their query', () => {
    expect(safeNextPath('/admin/orders?status=late')).toBe('/admin/orders?status=late');
    expect(safeNextPath('/admin')).toBe('/admin');
  });

  it.each([
    null,
    '',
    'https://evil.example/admin',
    '//evil.example/admin',
    '/\\evil.example',
    '\\\\evil.example',
    '/admin\\..\\//evil.example',
    'javascript:alert(1)',
    '/orders/1001',
    '/admin/login?next=//evil.example',
    '/admin\n/x',
    ' /admin',
  ])('sends %j to the console home instead', (next) => {
    expect(safeNextPath(next)).toBe('/admin');
  });

  it('never leaves the site, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (next) => {
        const path = safeNextPath(next);
        const url = new URL(path, 'https://shop.example');
        expect(url.origin).toBe('https://shop.example');
        expect(path.startsWith('/admin')).toBe(true);
        expect(path.startsWith('//')).toBe(false);
      }),
    );
  });

  it('builds the sign-in address with a return path', () => {
    expect(loginUrl(new URL('https://shop.example/admin/account'))).toBe('/admin/login?next=%2Fadmin%2Faccount');
    expect(loginUrl(new URL('https://shop.example/admin'))).toBe('/admin/login');
  });
});

describe('the staff session cookie', () => {
  it('is a __Host- cookie: HttpOnly, Secure, SameSite=Lax, Path=/, ending with the session', () => {
    const expires = new Date(Date.UTC(2026, 10, 22) + SESSION_INACTIVITY_MS);
    expect(sessionCookie('abc.def', expires)).toEqual({
      name: '__Host-porchlight-staff',
      value: 'abc.def',
      options: { httpOnly: true, secure: true, sameSite: 'lax', path: '/', expires },
    });
    expect(STAFF_SESSION_COOKIE.startsWith('__Host-')).toBe(true);
    expect(blankSessionCookie()).toMatchObject({ value: '', options: { expires: new Date(0), path: '/', secure: true } });
  });
});

describe('roles', () => {
  const owner = { id: 1, email: 'o@example.com', name: 'O', role: 'owner' as const };
  const agent = { id: 2, email: 'a@example.com', name: 'A', role: 'agent' as const };
  it('lets owners do everything and agents only agent work', () => {
    expect(requireRole(owner, 'owner')).toBeNull();
    expect(requireRole(owner, 'agent')).toBeNull();
    expect(requireRole(agent, 'agent')).toBeNull();
    expect(requireRole(agent, 'owner')?.status).toBe(403);
  });
});
