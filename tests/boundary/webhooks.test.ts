// Signed provider webhooks and the shop platform's refund callbacks, fed hostile content under a valid signature
// (signed is not the same as clean), replays and mix-ups: a clear 4xx and nothing stored, or one change only.
import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, orders, refunds } from '#db/schema/index.ts';
import { signWebhook } from '#src/auth/webhook-signature.ts';
import { staffCancel } from '#src/orders/staff-cancel.ts';
import { newSvixSecret, svixHeaders, twilioSignature } from '#tests/fakes/webhook-signing.ts';
import { anyText, encodeSegment, formHostileText, hostileSegment, jsonHostileText, notAnId } from '#tests/support/hostile-input.ts';
import { type App, expectRefusedWithoutChange, startApp } from '#tests/support/http-app.ts';

const TWILIO_TOKEN = 'twilio-auth-token-for-tests';
const RESEND_SECRET = newSvixSecret();
const REFUND_SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: App;
let refundA: number;
let refundB: number;

beforeAll(async () => {
  app = await startApp({
    TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_FROM: '+15005550006',
    RESEND_WEBHOOK_SECRET: RESEND_SECRET,
    REFUND_WEBHOOK_SECRET: REFUND_SECRET,
  });
  const ids: number[] = [];
  for (const orderNumber of ['1002', '1003']) {
    const cancelled = await staffCancel(app.database.db, {
      orderNumber,
      lineNo: null,
      reason: 'Discontinued',
      actor: { type: 'staff', id: 'test' },
    });
    if (!cancelled.ok) throw new Error(`could not cancel ${orderNumber}`);
    const [order] = await app.database.db.select().from(orders).where(eq(orders.number, orderNumber));
    const [refund] = await app.database.db
      .select()
      .from(refunds)
      .where(eq(refunds.orderId, order?.id as number));
    ids.push(refund?.id as number);
  }
  [refundA, refundB] = ids as [number, number];
});
afterAll(() => app?.close());

const refusedWithoutChange = (send: () => Promise<Response>) => expectRefusedWithoutChange(app, send);

function postTwilio(path: string, params: Record<string, string>) {
  return app.request(path, {
    method: 'POST',
    body: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(TWILIO_TOKEN, `${app.url}${path}`, params),
    },
  });
}

function postResend(body: string) {
  return app.request('/webhooks/resend', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...svixHeaders({ secret: RESEND_SECRET, body }) },
  });
}

function postRefundCallback(pathId: string, report: unknown) {
  const body = JSON.stringify(report);
  return app.request(`/api/refunds/${pathId}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'porchlight-signature': signWebhook(REFUND_SECRET, body, Math.floor(Date.now() / 1000)),
    },
  });
}

const refundEvents = async (refundId: number, type: 'refund_sent' | 'refund_failed') =>
  (await app.database.db.select().from(events).where(eq(events.type, type))).filter(
    (e) => (e.data as { refundId?: number }).refundId === refundId,
  );

describe('Twilio webhooks, correctly signed', () => {
  it('an inbound SMS whose From holds a NUL or another control character is refused with 400', async () => {
    const nul = await refusedWithoutChange(() =>
      postTwilio('/webhooks/twilio/inbound', { From: '+1555\u00000100', MessageSid: 'SM1', Body: 'STOP' }),
    );
    expect(nul.status).toBe(400);
    await fc.assert(
      fc.asyncProperty(formHostileText, fc.constantFrom('From', 'MessageSid'), anyText, async (bad, field, body) => {
        const params = { From: '+15555550100', MessageSid: 'SM2', Body: body.toWellFormed(), [field]: bad };
        await refusedWithoutChange(() => postTwilio('/webhooks/twilio/inbound', params));
      }),
      { numRuns: 30 },
    );
  });

  it('a status callback with a control character in any field is refused', async () => {
    await fc.assert(
      fc.asyncProperty(formHostileText, fc.constantFrom('MessageSid', 'MessageStatus', 'ErrorCode'), async (bad, field) => {
        const params = { MessageSid: 'SM3', MessageStatus: 'delivered', [field]: bad };
        await refusedWithoutChange(() => postTwilio('/webhooks/twilio/status', params));
      }),
      { numRuns: 30 },
    );
  });
});

describe('Resend webhooks, correctly signed', () => {
  it('an event whose e-mail id or type holds a NUL or a lone surrogate is refused with 400', async () => {
    await fc.assert(
      fc.asyncProperty(jsonHostileText, fc.constantFrom('email_id', 'type'), async (bad, field) => {
        const event = field === 'type' ? { type: bad, data: { email_id: 're_1' } } : { type: 'email.delivered', data: { email_id: bad } };
        await refusedWithoutChange(() => postResend(JSON.stringify(event)));
      }),
      { numRuns: 30 },
    );
  });
});

describe('refund callbacks from the shop platform', () => {
  const sent = (refundId: number, id: string) => ({ id, refundId, status: 'sent', reference: 'RF-77', sentOn: '2026-11-01' });
  const failed = (refundId: number, id: string) => ({ id, refundId, status: 'failed', reason: 'Card expired' });

  it('a captured callback for one refund, replayed against another, is refused and changes nothing', async () => {
    const response = await refusedWithoutChange(() => postRefundCallback(String(refundB), sent(refundA, 'cb_1')));
    expect(response.status).toBe(400);
    const [b] = await app.database.db.select().from(refunds).where(eq(refunds.id, refundB));
    expect(b?.status).toBe('requested');
  });

  it('a delivery replayed three times adds one event', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await postRefundCallback(String(refundA), failed(refundA, 'cb_failed_1'));
      expect(response.status).toBe(200);
    }
    expect(await refundEvents(refundA, 'refund_failed')).toHaveLength(1);
    // A new delivery (the platform tried again and failed again) is a new fact.
    expect((await postRefundCallback(String(refundA), failed(refundA, 'cb_failed_2'))).status).toBe(200);
    expect(await refundEvents(refundA, 'refund_failed')).toHaveLength(2);
    expect((await postRefundCallback(String(refundA), sent(refundA, 'cb_sent_1'))).status).toBe(200);
    expect(await refundEvents(refundA, 'refund_sent')).toHaveLength(1);
    const [a] = await app.database.db
      .select()
      .from(refunds)
      .where(and(eq(refunds.id, refundA)));
    expect(a).toMatchObject({ status: 'sent', reference: 'RF-77' });
  });

  it('ids that are not ids, in the address or the body, answer 4xx; 2147483648 is not a 500', async () => {
    expect((await refusedWithoutChange(() => postRefundCallback('2147483648', sent(refundB, 'cb_2')))).status).toBe(404);
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileSegment, notAnId.map(encodeSegment)), async (pathId) => {
        await refusedWithoutChange(() => postRefundCallback(pathId, sent(refundB, 'cb_3')));
      }),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.bigInt({ min: 2_147_483_648n, max: 10n ** 20n }).map(Number), fc.double(), fc.constant(-1), notAnId),
        async (refundId) => {
          await refusedWithoutChange(() => postRefundCallback(String(refundB), { ...sent(refundB, 'cb_4'), refundId }));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a reference, reason or delivery id holding a NUL or a lone surrogate is refused with 400', async () => {
    await fc.assert(
      fc.asyncProperty(jsonHostileText, fc.constantFrom('reference', 'reason', 'id'), async (bad, field) => {
        const report = field === 'reason' ? { ...failed(refundB, 'cb_5'), reason: bad } : { ...sent(refundB, 'cb_6'), [field]: bad };
        const response = await refusedWithoutChange(() => postRefundCallback(String(refundB), report));
        expect(response.status).toBe(400);
      }),
      { numRuns: 40 },
    );
  });
});
