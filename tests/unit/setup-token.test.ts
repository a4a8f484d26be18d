// Specification of the one-time setup link (src/auth/setup-token.ts): only whoever reads the server output may create the owner.
import { afterEach, describe, expect, it } from 'vitest';
import { clearSetupLink, ensureSetupLink, setupKeyMatches } from '../../src/auth/setup-token.ts';

afterEach(() => clearSetupLink());

function issue(): { key: string; told: string[] } {
  const told: string[] = [];
  expect(ensureSetupLink('https://status.example', (m) => told.push(m))).toBe(true);
  const key = /\/admin\/setup\?key=([A-Za-z0-9_-]+)/.exec(told.join('\n'))?.[1];
  if (!key) throw new Error(`no link in ${told.join('\n')}`);
  return { key, told };
}

describe('the setup link', () => {
  it('prints a link with a 192-bit key and the command-line alternative', () => {
    const { key, told } = issue();
    expect(Buffer.from(key, 'base64url')).toHaveLength(24);
    expect(told.join('\n')).toContain('https://status.example/admin/setup?key=');
    expect(told.join('\n')).toContain('staff:create');
  });

  it('accepts only its own key', () => {
    const { key } = issue();
    expect(setupKeyMatches(key)).toBe(true);
    expect(setupKeyMatches(`${key}x`)).toBe(false);
    expect(setupKeyMatches(key.slice(1))).toBe(false);
    expect(setupKeyMatches('')).toBe(false);
    expect(setupKeyMatches(null)).toBe(false);
    expect(setupKeyMatches('x'.repeat(10_000))).toBe(false);
  });

  it('is issued once per process: a second call keeps the first key and prints nothing', () => {
    const { key } = issue();
    const again: string[] = [];
    expect(ensureSetupLink('https://status.example', (m) => again.push(m))).toBe(false);
    expect(again).toEqual([]);
    expect(setupKeyMatches(key)).toBe(true);
  });

  it('accepts nothing before one is issued or after the owner exists', () => {
    expect(setupKeyMatches('anything')).toBe(false);
    const { key } = issue();
    clearSetupLink();
    expect(setupKeyMatches(key)).toBe(false);
  });
});
