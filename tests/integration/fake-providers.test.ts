// The real Resend and Twilio SDKs against the local fake providers: sends, idempotency, failure modes, signed webhooks.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createResendClient, createTwilioClient } from '../../src/messages/channels/provider-clients.ts';
import { TwilioTransportError } from '../../src/messages/channels/twilio-http-client.ts';
import type { ResendFake } from '../fakes/resend-fake.ts';
import { startResendFake } from '../fakes/resend-fake.ts';
import type { TwilioFake } from '../fakes/twilio-fake.ts';
import { countSegments, startTwilioFake } from '../fakes/twilio-fake.ts';
import { svixSignature } from '../fakes/webhook-signing.ts';

type Received = { url: string; headers: IncomingHttpHeaders; body: string };

/** A stand-in for the product's webhook endpoints: records each POST and answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<Response/>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const email = (n: number, extra: Record<string, unknown> = {}) => ({
  from: 'Porchlight Shop <orders@shop.example.com>',
  to: [`customer${n}@example.com`],
  subject: `Your order #${n} has a new date`,
  html: `<p>Order ${n}</p>`,
  text: `Order ${n}`,
  ...extra,
});

describe('Resend SDK against the fake', () => {
  let fake: ResendFake;
  const resend = () => createResendClient({ apiKey: 're_test_key', baseUrl: fake.url });

  beforeAll(async () => {
    fake = await startResendFake({ apiKey: 're_test_key' });
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => {
    fake.emails.length = 0;
    fake.setLatency(0);
  });

  it('sends one email, records it with its headers and key, and serves it back', async () => {
    const result = await resend().emails.send(
      email(1, { headers: { 'List-Unsubscribe': '<https://shop.example.com/u/abc>' }, tags: [{ name: 'kind', value: 'delay' }] }),
      { idempotencyKey: 'notification-1/email' },
    );
    expect(result.error).toBeNull();
    expect(result.data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.emails).toHaveLength(1);
    expect(fake.emails[0]).toMatchObject({
      id: result.data?.id,
      to: ['customer1@example.com'],
      idempotencyKey: 'notification-1/email',
      headers: { 'List-Unsubscribe': '<https://shop.example.com/u/abc>' },
      via: 'emails',
    });
    const fetched = await resend().emails.get(result.data?.id ?? '');
    expect(fetched.data).toMatchObject({
      object: 'email',
      id: result.data?.id,
      subject: 'Your order #1 has a new date',
      last_event: 'sent',
    });
  });

  it('answers 401 missing_api_key without a bearer token and 403 for a wrong key', async () => {
    const res = await fetch(`${fake.url}/emails`, {
      method: 'POST',
      body: JSON.stringify(email(1)),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ statusCode: 401, name: 'missing_api_key' });
    const wrong = await createResendClient({ apiKey: 're_wrong', baseUrl: fake.url }).emails.send(email(1));
    expect(wrong.error).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
    expect(fake.emails).toHaveLength(0);
  });

  it('sends a batch of 3 (strict) and rejects the whole batch when one email is invalid', async () => {
    const ok = await resend().batch.send([email(1), email(2), email(3)], { idempotencyKey: 'batch-1' });
    expect(ok.error).toBeNull();
    expect(ok.data?.data).toHaveLength(3);
    expect(fake.emails.map((e) => e.via)).toEqual(['batch', 'batch', 'batch']);

    const bad = await resend().batch.send([email(4), email(5, { to: ['not-an-address'] })]);
    expect(bad.data).toBeNull();
    expect(bad.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(fake.emails).toHaveLength(3);

    const tooMany = await resend().batch.send(Array.from({ length: 101 }, (_, i) => email(i)));
    expect(tooMany.error).toMatchObject({ statusCode: 422 });
  });

  it('permissive batch validation stores the valid emails and reports the invalid ones by index', async () => {
    const result = await resend().batch.send([email(1), email(2, { to: ['nope'] }), email(3)], { batchValidation: 'permissive' });
    expect(result.error).toBeNull();
    expect(result.data?.data).toHaveLength(2);
    expect(result.data?.errors).toEqual([{ index: 1, message: expect.any(String) }]);
    expect(fake.emails).toHaveLength(2);
  });

  it('replays an idempotent request: same key and body give the same id and no second email', async () => {
    const first = await resend().emails.send(email(1), { idempotencyKey: 'n-42/email' });
    const again = await resend().emails.send(email(1), { idempotencyKey: 'n-42/email' });
    expect(again.error).toBeNull();
    expect(again.data?.id).toBe(first.data?.id);
    expect(fake.emails).toHaveLength(1);
  });

  it('answers 409 invalid_idempotent_request when a key is reused with another body', async () => {
    await resend().emails.send(email(1), { idempotencyKey: 'n-43/email' });
    const other = await resend().emails.send(email(2), { idempotencyKey: 'n-43/email' });
    expect(other.data).toBeNull();
    expect(other.error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
    expect(fake.emails).toHaveLength(1);
  });

  it('answers 409 concurrent_idempotent_requests while the first request with the key is in flight', async () => {
    fake.setLatency(150);
    const [a, b] = await Promise.all([
      resend().emails.send(email(1), { idempotencyKey: 'n-44/email' }),
      new Promise((r) => setTimeout(r, 30)).then(() => resend().emails.send(email(1), { idempotencyKey: 'n-44/email' })),
    ]);
    expect(a.error).toBeNull();
    expect(b.error).toMatchObject({ statusCode: 409, name: 'concurrent_idempotent_requests' });
    expect(fake.emails).toHaveLength(1);
  });

  it('surfaces 429 as a returned error, with Retry-After readable from result.headers', async () => {
    fake.failNext(1, { status: 429, retryAfter: 7 });
    const result = await resend().emails.send(email(1), { idempotencyKey: 'n-45/email' });
    expect(result.data).toBeNull();
    expect(result.error).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
    expect(result.headers?.['retry-after']).toBe('7');
    expect(fake.emails).toHaveLength(0);
    // The failure did not consume the key: the retry goes through.
    const retry = await resend().emails.send(email(1), { idempotencyKey: 'n-45/email' });
    expect(retry.error).toBeNull();
  });

  it('enforces a configured request rate with real 429s', async () => {
    const limited = await startResendFake({ rateLimitPerSecond: 2 });
    try {
      const client = createResendClient({ apiKey: 're_x', baseUrl: limited.url });
      const results = await Promise.all([1, 2, 3].map((n) => client.emails.send(email(n))));
      const rejected = results.filter((r) => r.error);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.error?.statusCode).toBe(429);
      expect(Number(rejected[0]?.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('surfaces 500 and injected 422 as returned errors', async () => {
    fake.failNext(1, { status: 500 });
    fake.failNext(1, { status: 422, name: 'validation_error' });
    const a = await resend().emails.send(email(1));
    const b = await resend().emails.send(email(1));
    expect(a.error).toMatchObject({ statusCode: 500, name: 'internal_server_error' });
    expect(b.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(fake.emails).toHaveLength(0);
  });

  it('a hang ends with the caller’s AbortSignal timeout as a returned error with statusCode null', async () => {
    fake.failNext(1, 'hang');
    const started = Date.now();
    const result = await resend().emails.send(email(1), { idempotencyKey: 'n-46/email', signal: AbortSignal.timeout(200) });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ data: null, headers: null, error: { statusCode: null, name: 'application_error' } });
  });

  it('a reset is a returned error with statusCode null; after an accepted-then-reset send the retry replays', async () => {
    fake.failNext(1, 'reset');
    const reset = await resend().emails.send(email(1));
    expect(reset.error).toMatchObject({ statusCode: null, name: 'application_error' });
    expect(fake.emails).toHaveLength(0);

    fake.failNext(1, 'reset-after-accept');
    const lost = await resend().emails.send(email(2), { idempotencyKey: 'n-47/email' });
    expect(lost.error?.statusCode).toBeNull();
    expect(fake.emails).toHaveLength(1);
    const retry = await resend().emails.send(email(2), { idempotencyKey: 'n-47/email' });
    expect(retry.data?.id).toBe(fake.emails[0]?.id);
    expect(fake.emails).toHaveLength(1);
  });

  it('signs webhooks Svix-style: an independent HMAC and the SDK’s own verifier both accept them', async () => {
    const receiver = await startReceiver();
    try {
      const { secret } = fake.setWebhook({ url: `${receiver.url}/api/webhooks/resend` });
      const sent = await resend().emails.send(email(1));
      const delivery = await fake.sendWebhook('email.bounced', sent.data?.id ?? '', {
        bounce: { type: 'Permanent', subType: 'General', message: 'Mailbox does not exist' },
      });
      expect(delivery.status).toBe(200);
      const got = receiver.received[0];
      expect(got?.url).toBe('/api/webhooks/resend');
      const id = String(got?.headers['svix-id']);
      const timestamp = String(got?.headers['svix-timestamp']);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);

      // Independent computation: HMAC-SHA256 over id.timestamp.body, keyed with base64-decoded secret after whsec_.
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${got?.body}`).digest();
      const [version, sig] = String(got?.headers['svix-signature']).split(',');
      expect(version).toBe('v1');
      expect(timingSafeEqual(Buffer.from(sig ?? '', 'base64'), expected)).toBe(true);
      expect(svixSignature(secret, id, timestamp, got?.body ?? '')).toBe(got?.headers['svix-signature']);

      // The Resend SDK's verifier (standardwebhooks) agrees, and rejects a tampered body.
      const payload = resend().webhooks.verify({
        payload: got?.body ?? '',
        headers: { id, timestamp, signature: String(got?.headers['svix-signature']) },
        webhookSecret: secret,
      });
      expect(payload).toMatchObject({ type: 'email.bounced', data: { email_id: sent.data?.id, bounce: { type: 'Permanent' } } });
      expect(() =>
        resend().webhooks.verify({
          payload: (got?.body ?? '').replace('bounced', 'delivered'),
          headers: { id, timestamp, signature: String(got?.headers['svix-signature']) },
          webhookSecret: secret,
        }),
      ).toThrow();
      expect(fake.emails[0]?.lastEvent).toBe('bounced');

      // A redelivery keeps its svix-id so the receiver can deduplicate.
      await fake.sendWebhook('email.bounced', sent.data?.id ?? '', {}, { svixId: id });
      expect(receiver.received[1]?.headers['svix-id']).toBe(id);
    } finally {
      await receiver.close();
    }
  });

  it('close() ends hung requests and returns promptly', async () => {
    const own = await startResendFake();
    own.failNext(1, 'hang');
    const pending = createResendClient({ apiKey: 're_x', baseUrl: own.url }).emails.send(email(1));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await pending).error?.statusCode).toBeNull();
  });
});

describe('Twilio SDK against the fake', () => {
  let fake: TwilioFake;
  const client = (timeoutMs?: number) =>
    createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, timeoutMs });
  const FROM = '+15005550006';

  beforeAll(async () => {
    fake = await startTwilioFake();
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => {
    fake.messages.length = 0;
    fake.optedOut.clear();
  });

  it('creates messages and lists them by To and DateSent>, following pages', async () => {
    const before = new Date(Date.now() - 1000);
    const created = await client().messages.create({
      to: '+14155550100',
      from: FROM,
      body: 'Your order #1001 now ships the week of 12 May.',
      statusCallback: 'https://shop.example.com/api/webhooks/twilio/status',
      validityPeriod: 3600,
    });
    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(created).toMatchObject({ status: 'queued', to: '+14155550100', from: FROM, numSegments: '1', accountSid: fake.accountSid });
    expect(created.dateCreated).toBeInstanceOf(Date);
    expect(fake.messages[0]).toMatchObject({
      sid: created.sid,
      statusCallback: 'https://shop.example.com/api/webhooks/twilio/status',
      validityPeriod: 3600,
      numSegments: 1,
    });

    for (let i = 0; i < 4; i++) await client().messages.create({ to: '+14155550100', from: FROM, body: `update ${i}` });
    await client().messages.create({ to: '+14155550199', from: FROM, body: 'someone else' });

    const listed = await client().messages.list({ to: '+14155550100', dateSentAfter: before, pageSize: 2 });
    expect(listed).toHaveLength(5);
    expect(listed.map((m) => m.body)).toEqual(['update 3', 'update 2', 'update 1', 'update 0', created.body]);
    expect(await client().messages.list({ to: '+14155550100', dateSentAfter: new Date(Date.now() + 60_000) })).toHaveLength(0);
    expect(await client().messages.list({ from: FROM, to: '+14155550199' })).toHaveLength(1);
    expect(fake.requests).toBeGreaterThan(0);
  });

  it('sends through a Messaging Service ("accepted", no From yet)', async () => {
    const m = await client().messages.create({ to: '+14155550101', messagingServiceSid: 'MG0123456789abcdef0123456789abcdef', body: 'Hi' });
    expect(m).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: 'MG0123456789abcdef0123456789abcdef' });
  });

  it('counts segments for GSM-7 and UCS-2 bodies', () => {
    expect(countSegments('a'.repeat(160))).toBe(1);
    expect(countSegments('a'.repeat(161))).toBe(2);
    expect(countSegments('€'.repeat(80))).toBe(1);
    expect(countSegments('€'.repeat(81))).toBe(2);
    expect(countSegments('’'.repeat(70))).toBe(1);
    expect(countSegments('’'.repeat(71))).toBe(2);
  });

  it('throws RestException 400 / 21610 for an opted-out recipient (permanent)', async () => {
    fake.optedOut.add('+14155550102');
    const err = await client()
      .messages.create({ to: '+14155550102', from: FROM, body: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err).toMatchObject({ status: 400, code: 21610, moreInfo: 'https://www.twilio.com/docs/errors/21610' });
    expect(fake.messages).toHaveLength(0);
  });

  it('throws RestException 400 / 21211 for an invalid To, both validated and injected', async () => {
    const invalid = await client()
      .messages.create({ to: '555-0100', from: FROM, body: 'x' })
      .catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 21211 });
    fake.failNext(1, { status: 400, code: 21211 });
    const injected = await client()
      .messages.create({ to: '+14155550103', from: FROM, body: 'x' })
      .catch((e: unknown) => e);
    expect(injected).toBeInstanceOf(twilio.RestException);
    expect(injected).toMatchObject({ status: 400, code: 21211 });
  });

  it('throws RestException 429 / 20429 and 500 / 20500 (no headers on the exception)', async () => {
    fake.failNext(1, { status: 429, retryAfter: 3 });
    fake.failNext(1, { status: 500 });
    const limited = await client()
      .messages.create({ to: '+14155550104', from: FROM, body: 'x' })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(twilio.RestException);
    expect(limited).toMatchObject({ status: 429, code: 20429, message: 'Too Many Requests' });
    expect(Object.keys(limited as object)).not.toContain('headers');
    const broken = await client()
      .messages.create({ to: '+14155550104', from: FROM, body: 'x' })
      .catch((e: unknown) => e);
    expect(broken).toMatchObject({ status: 500, code: 20500 });
    expect(fake.messages).toHaveLength(0);
  });

  it('throws RestException 401 / 20003 for a wrong auth token', async () => {
    const wrong = createTwilioClient({ accountSid: fake.accountSid, authToken: 'wrong', baseUrl: fake.url });
    const err = await wrong.messages.create({ to: '+14155550105', from: FROM, body: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: 20003 });
  });

  it('a hang ends at timeoutMs with a transport error (code ETIMEDOUT), not a RestException', async () => {
    fake.failNext(1, 'hang');
    const started = Date.now();
    const err = await client(200)
      .messages.create({ to: '+14155550106', from: FROM, body: 'x' })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).not.toBeInstanceOf(twilio.RestException);
    expect(err).toBeInstanceOf(TwilioTransportError);
    expect(err).toMatchObject({ code: 'ETIMEDOUT', message: 'no answer within 200 ms' });
  });

  it('a reset is a transport error; an accepted-then-reset send is found by listing', async () => {
    fake.failNext(1, 'reset');
    const reset = await client()
      .messages.create({ to: '+14155550107', from: FROM, body: 'x' })
      .catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(TwilioTransportError);
    expect(reset).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(fake.messages).toHaveLength(0);

    const since = new Date(Date.now() - 1000);
    fake.failNext(1, 'reset-after-accept');
    const lost = await client()
      .messages.create({ to: '+14155550107', from: FROM, body: 'Your order shipped' })
      .catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(TwilioTransportError);
    const found = await client().messages.list({ to: '+14155550107', from: FROM, dateSentAfter: since });
    expect(found.map((m) => m.sid)).toEqual([fake.messages[0]?.sid]);
  });

  it('signs status callbacks over the public URL so twilio.validateRequest accepts them', async () => {
    const receiver = await startReceiver();
    try {
      const publicUrl = 'https://status.shop.example.com/api/webhooks/twilio/status?channel=sms';
      const m = await client().messages.create({ to: '+14155550108', from: FROM, body: 'x', statusCallback: publicUrl });
      const sent = await fake.sendStatusCallback(m.sid, 'delivered', { url: `${receiver.url}/api/webhooks/twilio/status?channel=sms` });
      expect(sent.status).toBe(200);
      const got = receiver.received[0];
      const params = Object.fromEntries(new URLSearchParams(got?.body ?? ''));
      expect(params).toMatchObject({
        MessageSid: m.sid,
        MessageStatus: 'delivered',
        To: '+14155550108',
        From: FROM,
        AccountSid: fake.accountSid,
      });
      const signature = String(got?.headers['x-twilio-signature']);
      expect(twilio.validateRequest(fake.authToken, signature, publicUrl, params)).toBe(true);
      expect(twilio.validateRequest('another-token', signature, publicUrl, params)).toBe(false);
      expect(twilio.validateRequest(fake.authToken, signature, publicUrl, { ...params, MessageStatus: 'failed' })).toBe(false);
      expect(fake.messages[0]?.status).toBe('delivered');

      const failed = await fake.sendStatusCallback(m.sid, 'undelivered', {
        url: `${receiver.url}/s`,
        publicUrl: `${receiver.url}/s`,
        errorCode: 30003,
      });
      expect(failed.params.ErrorCode).toBe('30003');
      expect(twilio.validateRequest(fake.authToken, failed.signature, `${receiver.url}/s`, failed.params)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('posts signed inbound SMS; STOP opts the sender out so the next send is 21610, START opts back in', async () => {
    const receiver = await startReceiver();
    try {
      const publicUrl = 'https://status.shop.example.com/api/webhooks/twilio/inbound';
      const stop = await fake.sendInbound({ url: `${receiver.url}/inbound`, publicUrl, from: '+14155550109', to: FROM, body: 'Stop' });
      expect(stop.status).toBe(200);
      const params = Object.fromEntries(new URLSearchParams(receiver.received[0]?.body ?? ''));
      expect(params).toMatchObject({ Body: 'Stop', From: '+14155550109', To: FROM, OptOutType: 'STOP', SmsStatus: 'received' });
      expect(twilio.validateRequest(fake.authToken, String(receiver.received[0]?.headers['x-twilio-signature']), publicUrl, params)).toBe(
        true,
      );
      await expect(client().messages.create({ to: '+14155550109', from: FROM, body: 'x' })).rejects.toMatchObject({ code: 21610 });

      await fake.sendInbound({ url: `${receiver.url}/inbound`, from: '+14155550109', to: FROM, body: 'START' });
      expect(fake.optedOut.has('+14155550109')).toBe(false);
      await expect(client().messages.create({ to: '+14155550109', from: FROM, body: 'x' })).resolves.toMatchObject({ status: 'queued' });
    } finally {
      await receiver.close();
    }
  });

  it("goes through the proxy HTTP_PROXY names, as the SDK's own client does", async () => {
    // A forward proxy: plain-HTTP targets come as absolute-form requests (HTTPS ones, like Twilio's, through CONNECT).
    const proxiedUrls: string[] = [];
    const proxy = createServer((req, res) => {
      proxiedUrls.push(`${req.method} ${req.url}`);
      const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const proxied = client();
      const m = await proxied.messages.create({ to: '+14155550111', from: FROM, body: 'via the proxy' });
      expect(fake.messages.map((x) => x.sid)).toEqual([m.sid]);
      expect(proxiedUrls).toEqual([`POST ${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages.json`]);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it("trusts the CA bundle TWILIO_CA_BUNDLE names, as the SDK's own client does", async () => {
    // The fake behind TLS with a self-signed certificate, as behind a TLS-inspecting proxy with its own CA.
    const tls = new URL('../fakes/tls/', import.meta.url);
    const certFile = fileURLToPath(new URL('localhost-cert.pem', tls));
    const front = createHttpsServer({ key: readFileSync(new URL('localhost-key.pem', tls)), cert: readFileSync(certFile) }, (req, res) => {
      const upstream = httpRequest(new URL(req.url ?? '/', fake.url), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const baseUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const send = () =>
      createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl }).messages.create({
        to: '+14155550112',
        from: FROM,
        body: 'over TLS',
      });
    try {
      const untrusted = await send().catch((e: unknown) => e);
      expect(untrusted).toBeInstanceOf(TwilioTransportError);
      expect(untrusted).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect(fake.messages).toHaveLength(0);
      process.env.TWILIO_CA_BUNDLE = certFile;
      const sent = await send();
      expect(fake.messages.map((m) => m.sid)).toEqual([sent.sid]);
    } finally {
      delete process.env.TWILIO_CA_BUNDLE;
      front.closeAllConnections();
      await new Promise((r) => front.close(r));
    }
  });

  it('close() ends hung requests and returns promptly', async () => {
    const own = await startTwilioFake();
    own.failNext(1, 'hang');
    const pending = createTwilioClient({ accountSid: own.accountSid, authToken: own.authToken, baseUrl: own.url })
      .messages.create({ to: '+14155550110', from: FROM, body: 'x' })
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(TwilioTransportError);
  });
});
