// The customer's side of the portal, fed what an attacker sends: every answer a clear 4xx, nothing stored.
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '#db/schema/index.ts';
import { createOrderAccess } from '#src/auth/order-access.ts';
import { anyText, formHostileText, hostileSegment, notAnId } from '#tests/support/hostile-input.ts';
import { type App, expectRefusedWithoutChange, startApp } from '#tests/support/http-app.ts';

let app: App;
beforeAll(async () => {
  app = await startApp({ ORDER_ACCESS_MINUTES: '45' });
});
afterAll(() => app?.close());

/** A 4xx that stored nothing and set no cookie. */
async function refusedWithoutChange(send: () => Promise<Response>): Promise<Response> {
  const response = await expectRefusedWithoutChange(app, send);
  expect(response.headers.getSetCookie()).toEqual([]);
  return response;
}

/** A message link's token for order 1001, living 30 days as the notifier's do. */
const messageLinkToken = async (purpose: 'cancel' | 'order_view') =>
  createOrderAccess(app.database.db, {
    orderId: await orderId('1001'),
    purpose,
    verified: false,
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
  });

/** When the order access cookie a response sets ends (NaN when it sets none). */
const orderCookieExpiry = (response: Response) => {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('__Host-porchlight-order='));
  return Date.parse(/Expires=([^;]+)/i.exec(cookie ?? '')?.[1] ?? '');
};

const orderId = async (number: string) => (await app.database.db.select().from(orders).where(eq(orders.number, number)))[0]?.id as number;

describe('the lookup form', () => {
  it('answers a NUL in the order number with 400, not a 500', async () => {
    const response = await refusedWithoutChange(() => app.post('/', { number: '\u0000', contact: 'ava.chen@example.com' }));
    expect(response.status).toBe(400);
  });

  it('refuses any number or contact holding a control character, and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(formHostileText, anyText), formHostileText, fc.boolean(), async (a, b, swap) => {
        await refusedWithoutChange(() => app.post('/', swap ? { number: b, contact: a } : { number: a, contact: b }));
      }),
      { numRuns: 40 },
    );
  });
});

describe('order and answer addresses', () => {
  it('an order address that is not an order answers 404', async () => {
    await fc.assert(
      fc.asyncProperty(hostileSegment, async (segment) => {
        await refusedWithoutChange(() => app.request(`/orders/${segment}`));
        await refusedWithoutChange(() => app.request(`/orders/${segment}/respond?t=x`));
      }),
      { numRuns: 40 },
    );
  });

  it('an answer link with a token that is not one answers 400, with no cookie and no token stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(formHostileText, anyText, notAnId), async (t) => {
        await refusedWithoutChange(() => app.request(`/orders/1001/respond?${new URLSearchParams({ t: t.toWellFormed() })}`));
      }),
      { numRuns: 40 },
    );
  });

  it('a valid answer link of another order stores nothing: no cookie, no token that would open that order', async () => {
    const token = await messageLinkToken('cancel');
    const response = await refusedWithoutChange(() => app.request(`/orders/1022/respond?t=${token}`));
    expect(response.status).toBe(400);
  });

  it('a valid answer link opens its own order for ORDER_ACCESS_MINUTES, not for as long as the link lives', async () => {
    const token = await messageLinkToken('cancel');
    const response = await app.request(`/orders/1001/respond?t=${token}`);
    expect(response.status).toBe(200);
    const expires = orderCookieExpiry(response);
    expect(expires - Date.now()).toBeGreaterThan(44 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(45 * 60_000 + 1000);
  });

  it('the same holds for a message link to the order page: the cookie ends after ORDER_ACCESS_MINUTES', async () => {
    const token = await messageLinkToken('order_view');
    const response = await app.request(`/orders/1001?t=${token}`);
    expect(response.status).toBe(303);
    const expires = orderCookieExpiry(response);
    expect(expires - Date.now()).toBeGreaterThan(44 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(45 * 60_000 + 1000);
    // The same link for another order's address sets nothing.
    await refusedWithoutChange(async () => {
      const r = await app.request(`/orders/1022?t=${token}`);
      // A link that does not open this order leads on to the order's address, which then says "not found".
      expect(r.status).toBe(303);
      expect(r.headers.getSetCookie()).toEqual([]);
      return app.request('/orders/1022');
    });
  });

  it('answer forms posted with junk lines and actions are refused and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(notAnId, formHostileText),
        fc.oneof(fc.constantFrom('consent', 'cancel'), formHostileText),
        async (line, action) => {
          await refusedWithoutChange(() => app.post('/orders/1001/respond', { line, action }));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('pages that are not Astro pages carry a CSP too: no script at all', async () => {
    const response = await app.request('/unsubscribe?t=not-a-token');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the unsubscribe link refuses tokens that are not tokens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(formHostileText, anyText), async (t) => {
        await refusedWithoutChange(() => app.request(`/unsubscribe?${new URLSearchParams({ t: t.toWellFormed() })}`));
        await refusedWithoutChange(() => app.post('/unsubscribe', { t }));
      }),
      { numRuns: 30 },
    );
  });
});
