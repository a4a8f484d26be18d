// The JSON API fed what any client on the internet can send: any Authorization header with any body, and hostile
// bodies under a valid write key. Every answer is a 4xx RFC 9457 problem document and nothing is stored.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '#db/schema/index.ts';
import { createApiKey, revokeApiKey } from '#src/api-keys/manage-api-keys.ts';
import { anyText, hostileSegment, jsonHostileText } from '#tests/support/hostile-input.ts';
import { type App, expectRefusedWithoutChange, startApp } from '#tests/support/http-app.ts';

let app: App;
let readKey: string;
let writeKey: string;
let revokedKey: string;

beforeAll(async () => {
  app = await startApp({ API_RATE_LIMIT_PER_MINUTE: '100000' });
  const db = app.database.db;
  const actor = { type: 'staff' as const, id: 'cli' };
  readKey = (await createApiKey(db, { name: 'Reader', scope: 'read', actor })).key;
  writeKey = (await createApiKey(db, { name: 'Writer', scope: 'write', actor })).key;
  const revoked = await createApiKey(db, { name: 'Gone', scope: 'write', actor });
  revokedKey = revoked.key;
  await revokeApiKey(db, { keyId: revoked.apiKey.id, actor });
});
afterAll(() => app?.close());

/**
 * Sends; expects a 4xx with nothing stored, answered as a problem document whose status is the response's. An address
 * that is not valid UTF-8 once decoded (`%ED%A0%80`) never reaches Astro: the Node adapter answers 400 "Bad request."
 * itself (`adapterMayRefuse`).
 */
async function expectProblem(send: () => Promise<Response>, { adapterMayRefuse = false } = {}) {
  let body = '';
  const response = await expectRefusedWithoutChange(app, async () => {
    const r = await send();
    body = await r.text();
    return new Response(body, { status: r.status, headers: r.headers });
  });
  if (adapterMayRefuse && response.status === 400 && body === 'Bad request.') return;
  expect(response.headers.get('content-type'), body).toBe('application/problem+json');
  expect(JSON.parse(body)).toMatchObject({
    type: expect.stringMatching(/^\/api\/v1\/problems\/[a-z-]+$/),
    title: expect.any(String),
    status: response.status,
  });
}

/** What fetch lets a header hold: Latin-1 without controls (Headers trims the ends). */
const headerText = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f && (c < 0x80 || c > 0x9f))
    .map((c) => String.fromCharCode(c)),
  maxLength: 120,
});
const base32 = (n: number) => fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz234567'), minLength: n, maxLength: n });

/** Any Authorization header but a live write key's own: nothing, junk, other schemes, near-keys, a revoked or read key. */
const authorization = fc.oneof(
  fc.constant(null),
  headerText,
  headerText.map((t) => `Bearer ${t}`),
  fc.tuple(base32(24), base32(39)).map(([id, secret]) => `Bearer pl_${id}.${secret}`),
  fc.integer({ min: 3, max: 65 }).map((i) => `Bearer ${writeKey.slice(0, i)}${writeKey[i] === 'a' ? 'b' : 'a'}${writeKey.slice(i + 1)}`),
  fc.constantFrom('Basic b3duZXI6cGFzcw==', 'Bearer', 'Bearer ', `Token ${'x'}`, 'Bearer pl_', `Bearer ${'pl_'.padEnd(300, 'a')}`),
  fc.constant('REVOKED'),
  fc.constant('READ'),
);
const headerOf = (a: string | null) => (a === 'REVOKED' ? `Bearer ${revokedKey}` : a === 'READ' ? `Bearer ${readKey}` : a);

/** Any body at all: text, JSON of any shape, a note that would be fine. */
const anyBody = fc.oneof(
  anyText.map((t) => t.toWellFormed()),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constant(JSON.stringify({ text: 'A perfectly good note.' })),
);

function send(path: string, method: 'GET' | 'POST' | 'PUT', auth: string | null, body?: string, type = 'application/json') {
  const headers: Record<string, string> = {};
  if (auth !== null) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = type;
  return app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
}

describe('any Authorization header, any body', () => {
  it('is a 4xx problem document on both routes and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(authorization, anyBody, async (a, body) => {
        const auth = headerOf(a);
        if (auth !== `Bearer ${readKey}`) await expectProblem(() => send('/api/v1/orders/1001', 'GET', auth));
        await expectProblem(() => send('/api/v1/orders/1003/notes', 'POST', auth, body));
      }),
      { numRuns: 60 },
    );
  });

  it('a Bearer request from a server (no Origin, no cookie) is answered by the API, not the console gate or the form-origin check', async () => {
    const r = await fetch(`${app.url}/api/v1/orders/1001`, { headers: { authorization: `Bearer ${readKey}` }, redirect: 'manual' });
    expect(r.status).toBe(200);
    expect(r.headers.get('ratelimit')).toMatch(/^"per-key";r=\d+;t=\d+$/);
    const anonymous = await fetch(`${app.url}/api/v1/orders/1003/notes`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"text":"x"}',
      redirect: 'manual',
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="porchlight"');
  });
});

describe('a valid write key with hostile input', () => {
  const hostileBody = fc.oneof(
    jsonHostileText.map((text) => JSON.stringify({ text })),
    fc.string({ minLength: 1001, maxLength: 1200 }).map((text) => JSON.stringify({ text: `x${text}` })),
    fc.constantFrom(
      '',
      ' ',
      '{',
      '[]',
      'null',
      '"text"',
      '{"text":null}',
      '{"text":""}',
      '{"text":"   "}',
      '{"note":"hi"}',
      '{"text":["a"]}',
    ),
    anyText.filter((t) => {
      try {
        JSON.parse(t);
        return false;
      } catch {
        return true;
      }
    }),
  );

  it('any hostile body is a 4xx problem document with nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        await expectProblem(() => send('/api/v1/orders/1003/notes', 'POST', `Bearer ${writeKey}`, body.toWellFormed()));
      }),
      { numRuns: 60 },
    );
  });

  it('a good note under a body sent as a form, or to a hostile order number, is refused', async () => {
    await expectProblem(() =>
      send('/api/v1/orders/1003/notes', 'POST', `Bearer ${writeKey}`, 'text=hi', 'application/x-www-form-urlencoded'),
    );
    await fc.assert(
      fc.asyncProperty(hostileSegment, async (segment) => {
        const adapter = { adapterMayRefuse: true };
        await expectProblem(() => send(`/api/v1/orders/${segment}/notes`, 'POST', `Bearer ${writeKey}`, '{"text":"Hello"}'), adapter);
        await expectProblem(() => send(`/api/v1/orders/${segment}`, 'GET', `Bearer ${readKey}`), adapter);
      }),
      { numRuns: 40 },
    );
  });
});

describe('the console page', () => {
  it('refuses a key name holding a control character with 400, and stores nothing', async () => {
    const owner = await app.ownerCookie();
    const r = await expectRefusedWithoutChangeOfKeys(() =>
      app.post('/admin/settings/api-keys', { intent: 'create', name: 'a\u0000b', scope: 'read' }, owner),
    );
    expect(r.status).toBe(400);
  });
});

/** api_keys is left out of the stored-data digest (last use moves on any request): count its rows around the request. */
async function expectRefusedWithoutChangeOfKeys(sendIt: () => Promise<Response>): Promise<Response> {
  const count = async () => (await app.database.db.select().from(apiKeys)).length;
  const before = await count();
  const response = await expectRefusedWithoutChange(app, sendIt);
  expect(await count()).toBe(before);
  return response;
}

describe('PUT /api/v1/orders/{number} with a write key', () => {
  // A body the endpoint would take (dates relative to the server's clock), with one top-level field replaced.
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const good = {
    placed_at: new Date(Date.now() - 3_600_000).toISOString(),
    currency: 'USD',
    customer: { email: 'ada@example.com' },
    lines: [{ id: 'a', sku: 'AUR-LAMP', name: 'Lamp', quantity: 1, unit_price: 8900, kind: 'preorder', promised_by: day(40) }],
    payment: { paid: 8900 },
  };
  const replacement = fc.oneof(fc.jsonValue(), jsonHostileText).filter((v) => !(typeof v === 'string' && /^[A-Za-z]{3}$/.test(v)));
  const broken = fc.oneof(
    fc.tuple(fc.constantFrom(...Object.keys(good)), replacement).map(([key, value]) => JSON.stringify({ ...good, [key]: value })),
    fc.constantFrom(...Object.keys(good)).map((key) => JSON.stringify({ ...good, [key]: undefined })),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  );

  it('a body with any field broken or missing is a 4xx problem document with nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(broken, async (body) => {
        await expectProblem(() => send('/api/v1/orders/9500', 'PUT', `Bearer ${writeKey}`, body.toWellFormed()));
      }),
      { numRuns: 60 },
    );
  });
});
