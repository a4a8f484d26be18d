// The console, fed what an attacker (or a stray script) sends with a valid owner session: a clear 4xx, nothing stored.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob, startSkuMoveJob } from '#src/eta/bulk-jobs.ts';
import { anyText, encodeSegment, formHostileText, hostileSegment, notAnId } from '#tests/support/hostile-input.ts';
import { type App, expectRefusedWithoutChange, startApp } from '#tests/support/http-app.ts';

let app: App;
let owner: string;
let jobId: number;
beforeAll(async () => {
  app = await startApp();
  owner = await app.ownerCookie();
  jobId = await startSkuMoveJob(app.database.db, {
    sku: 'NIM-MUGS',
    from: '2027-06-01',
    to: '2027-06-10',
    reason: 'Kiln repair',
    actor: { type: 'staff', id: 'test' },
    expectedLines: 0,
  });
  // The move runs in the background: wait for it, so the tests below see a quiet database.
  for (let waited = 0; (await getJob(app.database.db, jobId))?.status !== 'done'; waited += 50) {
    if (waited > 30_000) throw new Error('the SKU move did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(() => app?.close());

const refusedWithoutChange = (send: () => Promise<Response>) => expectRefusedWithoutChange(app, send);

describe('sign-in', () => {
  it('refuses an e-mail address holding a control character with 400, and stores nothing', async () => {
    const nul = await refusedWithoutChange(() => app.post('/admin/login', { email: 'owner@northwind.example\u0000', password: 'x' }));
    expect(nul.status).toBe(400);
    await fc.assert(
      fc.asyncProperty(formHostileText, anyText, async (email, password) => {
        await refusedWithoutChange(() => app.post('/admin/login', { email, password: password || 'x' }));
      }),
      { numRuns: 30 },
    );
  });
});

describe('ids in console addresses', () => {
  it('reads only plain ids: "1e0", "01" and ids past the integer range are not job 1, and none is a 500', async () => {
    expect((await app.request(`/admin/jobs/${jobId}`, { cookie: owner })).status).toBe(200);
    for (const alias of ['1e0', `${jobId}e0`, `0${jobId}`, `${jobId}.0`, '2147483648', '99999999999999999999']) {
      expect((await refusedWithoutChange(() => app.request(`/admin/jobs/${alias}`, { cookie: owner }))).status).toBe(404);
    }
  });

  it('every hostile id or path segment answers 404 on the job, SKU, order and dev mailbox pages', async () => {
    await fc.assert(
      fc.asyncProperty(hostileSegment, async (segment) => {
        for (const path of ['/admin/jobs/', '/admin/skus/', '/admin/orders/', '/dev/mailbox/']) {
          await refusedWithoutChange(() => app.request(`${path}${segment}`, { cookie: owner }));
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('console forms', () => {
  it('a SKU move with a control character in its reason is refused and nothing moves', async () => {
    await fc.assert(
      fc.asyncProperty(formHostileText, fc.boolean(), async (reason, send) => {
        await refusedWithoutChange(() =>
          app.post('/admin/skus/NIM-MUGS', { from: '2027-07-01', to: '2027-07-05', reason, ...(send ? { confirm: 'send' } : {}) }, owner),
        );
      }),
      { numRuns: 30 },
    );
  });

  it("an order's forms refuse junk lines, refunds and text, whatever the action", async () => {
    const line = fc.oneof(notAnId, fc.constant('1'));
    const post = fc.oneof(
      fc.record({ intent: fc.constant('status'), line: notAnId, to: fc.constantFrom('ready', 'shipped'), tracking: fc.constant('') }),
      fc.record({
        intent: fc.constant('status'),
        line,
        to: fc.constant('shipped'),
        tracking: formHostileText.map((t) => `https://t.example/${t}`),
      }),
      fc.record({
        intent: fc.constant('eta'),
        line,
        from: fc.constant('2027-08-01'),
        to: fc.constant('2027-08-02'),
        reason: formHostileText,
      }),
      fc.record({ intent: fc.constant('note'), text: formHostileText }),
      fc.record({ intent: fc.constant('cancel'), line, reason: formHostileText }),
      fc.record({ intent: fc.constant('refund-sent'), refund: notAnId, reference: fc.constant('R-1'), sentOn: fc.constant('2026-11-01') }),
      fc.record({
        intent: fc.constant('refund-sent'),
        refund: fc.constant('1'),
        reference: formHostileText,
        sentOn: fc.constant('2026-11-01'),
      }),
      fc.record({ intent: formHostileText }),
    );
    await fc.assert(
      fc.asyncProperty(post, async (fields) => {
        await refusedWithoutChange(() => app.post('/admin/orders/1001', fields as Record<string, string>, owner));
      }),
      { numRuns: 60 },
    );
  });

  it('the order list refuses a search holding a control character', async () => {
    await fc.assert(
      fc.asyncProperty(formHostileText, async (q) => {
        await refusedWithoutChange(() => app.request(`/admin/orders?q=${encodeSegment(q)}`, { cookie: owner }));
      }),
      { numRuns: 20 },
    );
  });

  it('the staff page refuses ids that are not ids and names or addresses holding a control character', async () => {
    const post = fc.oneof(
      fc.record({ intent: fc.constant('role'), userId: notAnId, role: fc.constant('agent') }),
      fc.record({ intent: fc.constant('remove'), userId: notAnId, confirm: fc.constant('yes') }),
      fc.record({
        intent: fc.constant('add'),
        name: formHostileText,
        email: fc.constant('new.agent@northwind.example'),
        role: fc.constant('agent'),
      }),
      fc.record({ intent: fc.constant('add'), name: fc.constant('New Agent'), email: formHostileText, role: fc.constant('agent') }),
    );
    await fc.assert(
      fc.asyncProperty(post, async (fields) => {
        await refusedWithoutChange(() => app.post('/admin/settings/staff', fields as Record<string, string>, owner));
      }),
      {
        numRuns: 40,
        examples: [[{ intent: 'role', userId: '9999999999', role: 'agent' }], [{ intent: 'remove', userId: '2147483648', confirm: 'yes' }]],
      },
    );
  });

  it('the settings page refuses any field holding a control character', async () => {
    const fields = [
      'name',
      'supportEmail',
      'supportPhone',
      'logoUrl',
      'timeZone',
      'cancellationPolicy',
      'emailFrom',
      'smsFrom',
      'holidays',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), formHostileText, async (field, value) => {
        await refusedWithoutChange(() =>
          app.post(
            '/admin/settings',
            {
              name: 'Northwind Outfitters',
              supportEmail: 'help@northwind.example',
              timeZone: 'America/New_York',
              defaultLocale: 'en',
              locales: 'en',
              quietHoursStart: '21:00',
              quietHoursEnd: '08:00',
              coalesceSeconds: '0',
              atRiskDays: '5',
              [field]: value,
            },
            owner,
          ),
        );
      }),
      { numRuns: 40 },
    );
  });
});
