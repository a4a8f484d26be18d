// Pages render what commands and queries return: none reaches the database itself, and the console's staff check
// happens once, in the middleware's gate, for every console route but the ones that sign in, set up or sign out.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateOf, signedInStaff } from '#src/auth/staff-gate.ts';

const PAGES = join(import.meta.dirname, '../../src/pages');
const files = readdirSync(PAGES, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(astro|ts)$/.test(f));
const source = (file: string) => readFileSync(join(PAGES, file), 'utf8');

/** The route pattern Astro gives a page file: `admin/skus/[sku].astro` → `/admin/skus/[sku]`, `admin/index.astro` → `/admin`. */
const routeOf = (file: string) => `/${relative('.', file).replace(/\.(astro|ts)$/, '')}`.replace(/\/index$/, '') || '/';

describe('pages', () => {
  it('never open the database, run a query or import the schema themselves', () => {
    const offending = files.filter((f) => /runtimeDb|runtimeDatabase|drizzle-orm|#db\//.test(source(f)));
    expect(offending).toEqual([]);
  });

  it('never check the staff session themselves', () => {
    expect(files.filter((f) => /requireStaff|requireDevMailbox/.test(source(f)))).toEqual([]);
  });
});

describe('the staff gate', () => {
  const gated = files.filter((f) => gateOf(routeOf(f)) !== null).map(routeOf);

  it('covers every console and dev mailbox page but sign-in, setup and sign-out', () => {
    const consoleRoutes = files.map(routeOf).filter((r) => r === '/admin' || r.startsWith('/admin/') || r.startsWith('/dev/mailbox'));
    expect(consoleRoutes.filter((r) => !gated.includes(r)).sort()).toEqual(['/admin/login', '/admin/logout', '/admin/setup']);
    expect(gateOf('/dev/mailbox')).toBe('dev_mailbox');
    expect(gateOf('/dev/mailbox/[id]')).toBe('dev_mailbox');
    expect(gateOf('/admin/orders/[number]')).toBe('staff');
  });

  it('leaves customer pages, endpoints and the not-found page open, so an unknown /admin address stays a 404', () => {
    for (const route of ['/', '/orders/[number]', '/orders/[number]/respond', '/unsubscribe', '/readyz', '/404', '/administrator']) {
      expect(gateOf(route)).toBeNull();
    }
  });

  it('hands every gated page its staff member, and stops a page that was reached without it', () => {
    for (const file of files.filter((f) => gateOf(routeOf(f)) !== null))
      expect(source(file)).toMatch(/signedInStaff\(Astro\.locals\)|Astro\.locals\.staff/);
    expect(() => signedInStaff({})).toThrow(/staff gate/);
  });
});
