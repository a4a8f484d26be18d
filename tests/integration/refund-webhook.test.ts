import { createServer, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { orders, refunds, webhookDeliveries } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { signWebhook, verifyWebhook } from '#src/auth/webhook-signature.ts';
import { staffCancel } from '#src/orders/staff-cancel.ts';
import { cancelLinesInTx } from '#src/refunds/cancel-lines.ts';
import { deliverDueWebhooks } from '#src/refunds/refund-requested-hook.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const secret = 'a-shared-secret-of-at-least-32-characters!';
const now = new Date('2026-11-23T16:00:00Z');
let database: Database;
let server: Server;
let url: string;
const received: Array<{ body: string; signature: string | undefined }> = [];
let failNext = 0;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ body, signature: req.headers['porchlight-signature'] as string | undefined });
      res.statusCode = failNext-- > 0 ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/refunds`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await database.close();
});

describe('refund.requested goes to the shop platform as a signed webhook', () => {
  it('is queued with the refund in the same transaction, signed, retried after a 500, then delivered once', async () => {
    const [order] = await database.db.select().from(orders).where(eq(orders.number, '1001'));
    const result = await database.db.transaction((tx) =>
      cancelLinesInTx(tx, {
        orderId: order?.id as number,
        lineIds: null,
        actor: { type: 'staff', id: 'test' },
        reason: 'We will not restock this lamp',
        section: '435.2(b)(4)',
        vestedOn: '2026-11-23',
        now,
        refundWebhook: { url, secret },
      }),
    );
    if (!result.ok) throw new Error('cancel failed');
    const [queued] = await database.db.select().from(webhookDeliveries);
    expect(queued).toMatchObject({ eventType: 'refund.requested', status: 'pending', subject: `refund:${result.refundId}` });

    failNext = 1;
    expect(await deliverDueWebhooks(database.db, secret, now)).toBe(1);
    const [afterFailure] = await database.db.select().from(webhookDeliveries);
    expect(afterFailure?.status).toBe('pending');
    expect(afterFailure?.history.at(-1)).toMatchObject({ status: 'retry', detail: 'HTTP 500' });

    const later = new Date(now.getTime() + 10 * 60_000);
    expect(await deliverDueWebhooks(database.db, secret, later)).toBe(1);
    const [delivered] = await database.db.select().from(webhookDeliveries);
    expect(delivered?.status).toBe('delivered');
    expect(await deliverDueWebhooks(database.db, secret, later)).toBe(0);

    const last = received.at(-1);
    const payload = JSON.parse(last?.body ?? '{}');
    expect(payload).toMatchObject({
      type: 'refund.requested',
      data: { id: result.refundId, amount: result.refundAmount, currency: 'USD', orderNumber: '1001' },
    });
    expect(verifyWebhook(secret, last?.body ?? '', last?.signature ?? null, later)).toBe(true);
  });

  it('signatures fail when forged, tampered with or stale', () => {
    const body = '{"status":"sent"}';
    const t = Math.floor(now.getTime() / 1000);
    expect(verifyWebhook(secret, body, signWebhook(secret, body, t), now)).toBe(true);
    expect(verifyWebhook(secret, body, signWebhook('another-secret-another-secret-xx', body, t), now)).toBe(false);
    expect(verifyWebhook(secret, `${body} `, signWebhook(secret, body, t), now)).toBe(false);
    expect(verifyWebhook(secret, body, signWebhook(secret, body, t - 600), now)).toBe(false);
    expect(verifyWebhook(secret, body, null, now)).toBe(false);
  });

  it('without a configured endpoint nothing is queued (the ledger adapter: staff mark refunds sent)', async () => {
    const before = (await database.db.select().from(webhookDeliveries)).length;
    const r = await staffCancel(
      database.db,
      { orderNumber: '1002', lineNo: null, reason: 'Discontinued', actor: { type: 'staff', id: 'test' } },
      now,
    );
    expect(r.ok).toBe(true);
    expect((await database.db.select().from(webhookDeliveries)).length).toBe(before);
    expect((await database.db.select().from(refunds).where(eq(refunds.status, 'requested'))).length).toBeGreaterThanOrEqual(2);
  });
});
