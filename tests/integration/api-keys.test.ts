// API keys against a real database: created with the secret shown once and only its hash kept, verified from a Bearer
// header, refused when missing, malformed, wrong or revoked, rate limited per key, last use written at most once a
// minute; and the first two /api/v1 endpoints (order read, note write) with every refusal as a problem document.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { apiKeys, events } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { authenticateApiKey, LAST_USED_RESOLUTION_MS } from '#src/api-keys/authenticate.ts';
import { KeyRateLimiter } from '#src/api-keys/key-rate-limit.ts';
import { createApiKeyCommand, listApiKeys, revokeApiKeyCommand } from '#src/api-keys/manage-api-keys.ts';
import { runCommand } from '#src/cli/commands.ts';
import { execute } from '#src/commands/command.ts';
import { CLI, type Principal } from '#src/commands/principal.ts';
import { POST as postNote } from '#src/pages/api/v1/orders/[number]/notes.ts';
import { GET as getOrder } from '#src/pages/api/v1/orders/[number].ts';
import { seedDemoStaff } from '#src/staff/demo-staff.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-22T15:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const OWNER: Principal = { kind: 'staff', staffId: 1, role: 'owner' };
const AGENT: Principal = { kind: 'staff', staffId: 2, role: 'agent' };
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
  await seedDemoStaff(database.db);
});
afterAll(() => database.close());

async function newKey(scope: 'read' | 'write', name = `Key ${scope}`): Promise<{ id: string; key: string }> {
  const r = await execute(createApiKeyCommand, database.db, { name, scope }, OWNER, now);
  if (!r.ok) throw new Error(`create refused: ${r.reason}`);
  return { id: r.apiKey.id, key: r.key };
}

const bearer = (value: string | null, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (value !== null) headers.set('authorization', value);
  return new Request('http://porchlight.test/api/v1/x', { ...init, headers });
};
const limiter = () => new KeyRateLimiter({ name: 'per-key', quota: 1000, windowSeconds: 60 });

describe('creating a key', () => {
  it('returns pl_<id>.<secret> once and stores only the SHA-256 of the secret', async () => {
    const r = await execute(createApiKeyCommand, database.db, { name: ' Shopify sync ', scope: 'write' }, OWNER, now);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.key).toMatch(/^pl_[a-z2-7]{24}\.[a-z2-7]{39}$/);
    expect(r.apiKey).toMatchObject({ name: 'Shopify sync', scope: 'write' });
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, r.apiKey.id));
    const secret = r.key.split('.')[1] as string;
    expect(row?.createdBy).toBe('1');
    expect(Buffer.from(row?.secretHash ?? []).toString('hex')).not.toContain(Buffer.from(secret).toString('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row?.secretHash.length).toBe(32);
  });

  it('is for owners and the CLI only, with a name and a known scope', async () => {
    expect(await execute(createApiKeyCommand, database.db, { name: 'Agent key', scope: 'read' }, AGENT, now)).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    const keyPrincipal: Principal = { kind: 'api_key', keyId: 'x', scope: 'write' };
    expect(await execute(createApiKeyCommand, database.db, { name: 'Key key', scope: 'read' }, keyPrincipal, now)).toMatchObject({
      reason: 'forbidden',
    });
    expect(await execute(createApiKeyCommand, database.db, { name: '', scope: 'read' }, OWNER, now)).toMatchObject({
      reason: 'invalid_input',
      fields: ['name'],
    });
    expect(await execute(createApiKeyCommand, database.db, { name: 'x', scope: 'admin' }, OWNER, now)).toMatchObject({
      reason: 'invalid_input',
      fields: ['scope'],
    });
    expect(await execute(createApiKeyCommand, database.db, { name: 'a\u0000b', scope: 'read' }, CLI, now)).toMatchObject({
      fields: ['name'],
    });
    expect((await execute(createApiKeyCommand, database.db, { name: 'From the shell', scope: 'read' }, CLI, now)).ok).toBe(true);
  });

  it('on the CLI prints the key alone on its last line, and it works', async () => {
    const r = await runCommand(database.db, ['api-key:create', '--name', 'CLI key', '--scope', 'write']);
    expect(r.code).toBe(0);
    const key = r.output.split('\n').at(-1) as string;
    expect(key).toMatch(/^pl_[a-z2-7]{24}\.[a-z2-7]{39}$/);
    const auth = await authenticateApiKey(database.db, bearer(`Bearer ${key}`), { now, limiter: limiter() });
    expect(auth).toMatchObject({ ok: true, principal: { kind: 'api_key', scope: 'write' } });
    const listed = await runCommand(database.db, ['api-key:list']);
    expect(listed.output).toContain('CLI key');
    const bad = await runCommand(database.db, ['api-key:create', '--name', 'x', '--scope', 'admin']);
    expect(bad).toEqual({ code: 2, output: 'Refused: Choose the key’s scope: read, or write (which can also read).' });
  });
});

describe('verifying a key', () => {
  it('gives the api_key principal with its scope; any case of "Bearer" will do', async () => {
    const { id, key } = await newKey('read');
    for (const header of [`Bearer ${key}`, `bearer ${key}`, `BEARER  ${key}`]) {
      const auth = await authenticateApiKey(database.db, bearer(header), { now, limiter: limiter() });
      expect(auth).toMatchObject({ ok: true, principal: { kind: 'api_key', keyId: id, scope: 'read' } });
    }
  });

  it.each([
    ['missing', null, 'api-key-missing', 'Bearer realm="porchlight"'],
    ['empty', '', 'api-key-missing', 'Bearer realm="porchlight"'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'api-key-malformed', 'Bearer realm="porchlight", error="invalid_token"'],
    [
      'no prefix',
      'Bearer abcdefghijklmnopqrstuvwx.abcdefghijklmnopqrstuvwxyz234567abcdefg',
      'api-key-malformed',
      'Bearer realm="porchlight", error="invalid_token"',
    ],
    ['cut short', 'Bearer pl_abcdefghijklmnopqrstuvwx.abc', 'api-key-malformed', 'Bearer realm="porchlight", error="invalid_token"'],
    [
      'unknown id',
      'Bearer pl_abcdefghijklmnopqrstuvwx.abcdefghijklmnopqrstuvwxyz234567abcdefg',
      'api-key-unknown',
      'Bearer realm="porchlight", error="invalid_token"',
    ],
  ])('%s → 401 %s with WWW-Authenticate', async (_case, header, slug, challenge) => {
    const auth = await authenticateApiKey(database.db, bearer(header), { now, limiter: limiter() });
    expect(auth.ok).toBe(false);
    if (auth.ok) return;
    expect(auth.problem).toMatchObject({ status: 401, slug });
    expect(auth.problem.headers?.['WWW-Authenticate']).toBe(challenge);
  });

  it('a right id with a wrong secret is unknown; a revoked key is refused at once', async () => {
    const { id, key } = await newKey('write');
    const wrong = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    expect(await authenticateApiKey(database.db, bearer(`Bearer ${wrong}`), { now, limiter: limiter() })).toMatchObject({
      ok: false,
      problem: { status: 401, slug: 'api-key-unknown' },
    });
    expect(await execute(revokeApiKeyCommand, database.db, { keyId: id }, AGENT, now)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await execute(revokeApiKeyCommand, database.db, { keyId: id }, OWNER, now)).toMatchObject({ ok: true });
    expect(await authenticateApiKey(database.db, bearer(`Bearer ${key}`), { now, limiter: limiter() })).toMatchObject({
      ok: false,
      problem: { status: 401, slug: 'api-key-revoked' },
    });
    expect(await execute(revokeApiKeyCommand, database.db, { keyId: id }, OWNER, now)).toEqual({ ok: false, reason: 'already_revoked' });
    expect(await execute(revokeApiKeyCommand, database.db, { keyId: 'a'.repeat(24) }, OWNER, now)).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(await execute(revokeApiKeyCommand, database.db, { keyId: 'nope' }, OWNER, now)).toMatchObject({ reason: 'invalid_input' });
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row?.revokedAt).toEqual(now);
    expect(row?.revokedBy).toBe('1');
  });

  it('writes the last use at most once a minute', async () => {
    const { id, key } = await newKey('read');
    const lastUsed = async () => (await database.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const l = limiter();
    await authenticateApiKey(database.db, bearer(`Bearer ${key}`), { now, limiter: l });
    expect(await lastUsed()).toEqual(now);
    await authenticateApiKey(database.db, bearer(`Bearer ${key}`), { now: later(LAST_USED_RESOLUTION_MS - 1), limiter: l });
    expect(await lastUsed()).toEqual(now);
    await authenticateApiKey(database.db, bearer(`Bearer ${key}`), { now: later(LAST_USED_RESOLUTION_MS), limiter: l });
    expect(await lastUsed()).toEqual(later(LAST_USED_RESOLUTION_MS));
    const listed = (await listApiKeys(database.db)).find((k) => k.id === id);
    expect(listed).toMatchObject({ lastUsedAt: later(LAST_USED_RESOLUTION_MS), createdBy: 'Rosa Lindqvist', revokedAt: null });
  });

  it('limits each key to its quota per window: 429 with Retry-After and the RateLimit fields, other keys unaffected', async () => {
    const a = await newKey('read');
    const b = await newKey('read');
    const l = new KeyRateLimiter({ name: 'per-key', quota: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) {
      const ok = await authenticateApiKey(database.db, bearer(`Bearer ${a.key}`), { now: later(i * 1000), limiter: l });
      expect(ok).toMatchObject({ ok: true, rateLimit: { remaining: 2 - i, limited: false } });
    }
    const limited = await authenticateApiKey(database.db, bearer(`Bearer ${a.key}`), { now: later(20_000), limiter: l });
    expect(limited).toMatchObject({ ok: false, problem: { status: 429, slug: 'rate-limited' } });
    if (limited.ok) return;
    expect(limited.problem.headers).toEqual({
      'Retry-After': '40',
      'RateLimit-Policy': '"per-key";q=3;w=60',
      RateLimit: '"per-key";r=0;t=40',
    });
    expect(await authenticateApiKey(database.db, bearer(`Bearer ${b.key}`), { now: later(20_000), limiter: l })).toMatchObject({
      ok: true,
    });
    expect(await authenticateApiKey(database.db, bearer(`Bearer ${a.key}`), { now: later(60_000), limiter: l })).toMatchObject({
      ok: true,
      rateLimit: { remaining: 2 },
    });
  });
});

describe('GET /api/v1/orders/{number}', () => {
  const get = (number: string, authorization: string | null) =>
    getOrder({ request: bearer(authorization), params: { number }, locals: { db: database.db } });

  it('answers the order with a read key, money in minor units and each line’s status, ETA and promised date', async () => {
    const { key } = await newKey('read');
    const response = await get('#1001', `Bearer ${key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('ratelimit-policy')).toBe('"per-key";q=600;w=60');
    expect(response.headers.get('ratelimit')).toMatch(/^"per-key";r=599;t=\d+$/);
    const order = await response.json();
    expect(order).toMatchObject({ number: '1001', currency: expect.any(String), customer: { email: expect.stringContaining('@') } });
    expect(order.placed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(order.lines.length).toBeGreaterThan(0);
    for (const line of order.lines) {
      expect(Number.isInteger(line.unit_price)).toBe(true);
      expect(line).toHaveProperty('status');
      expect(line).toHaveProperty('eta');
      expect(line).toHaveProperty('promised_by');
    }
  });

  it('a write key reads too; an unknown order is 404; no key is 401', async () => {
    const { key } = await newKey('write');
    expect((await get('1002', `Bearer ${key}`)).status).toBe(200);
    const missing = await get('999999', `Bearer ${key}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject({ type: '/api/v1/problems/not-found', status: 404 });
    const anonymous = await get('1001', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="porchlight"');
    expect(await anonymous.json()).toMatchObject({ type: '/api/v1/problems/api-key-missing', title: 'API key missing', status: 401 });
  });
});

describe('POST /api/v1/orders/{number}/notes', () => {
  const post = (number: string, authorization: string | null, body: string, type = 'application/json') =>
    postNote({
      request: bearer(authorization, { method: 'POST', body, headers: { 'content-type': type } }),
      params: { number },
      locals: { db: database.db },
    });
  const notes = async () => (await database.db.select().from(events).where(eq(events.type, 'customer_note'))).length;

  it('adds the note as the API key (201) and records the key as the actor', async () => {
    const { id, key } = await newKey('write');
    const response = await post('1003', `Bearer ${key}`, JSON.stringify({ text: 'Your parcel leaves our warehouse on Monday.' }));
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toMatchObject({ event_id: expect.any(Number), customers_told: expect.any(Number) });
    const [event] = await database.db.select().from(events).where(eq(events.id, body.event_id));
    expect(event).toMatchObject({ type: 'customer_note', actorType: 'api', actorId: `key:${id}` });
    expect(response.headers.get('ratelimit')).toMatch(/^"per-key";r=\d+;t=\d+$/);
  });

  it('refuses a read key with 403 insufficient_scope, whatever the body', async () => {
    const { key } = await newKey('read');
    const before = await notes();
    for (const body of [JSON.stringify({ text: 'Hello' }), '{not json', '']) {
      const response = await post('1003', `Bearer ${key}`, body);
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="porchlight", error="insufficient_scope", scope="write"');
      expect(await response.json()).toMatchObject({ type: '/api/v1/problems/insufficient-scope', status: 403 });
    }
    expect(await notes()).toBe(before);
  });

  it('answers each refusal as a problem document and stores nothing', async () => {
    const { key, id } = await newKey('write');
    const auth = `Bearer ${key}`;
    const cases: Array<{ number?: string; body: string; type?: string; status: number; slug: string; extra?: object }> = [
      { body: '{"text": ', status: 400, slug: 'invalid-json' },
      { body: 'text=hello', type: 'application/x-www-form-urlencoded', status: 415, slug: 'unsupported-media-type' },
      { body: JSON.stringify({ text: 'x'.repeat(70_000) }), status: 413, slug: 'body-too-large' },
      {
        body: JSON.stringify({ note: 'wrong field' }),
        status: 422,
        slug: 'invalid-body',
        extra: { errors: [{ path: ['text'], message: expect.any(String) }] },
      },
      { body: JSON.stringify([1, 2]), status: 422, slug: 'invalid-body' },
      {
        body: JSON.stringify({ text: 42 }),
        status: 422,
        slug: 'invalid-body',
        extra: { errors: [{ path: ['text'], message: expect.any(String) }] },
      },
      {
        body: JSON.stringify({ text: 'a\u0000b' }),
        status: 422,
        slug: 'invalid-body',
        extra: { errors: [{ path: ['text'], message: 'contains a control character' }] },
      },
      { body: JSON.stringify({ text: '   ' }), status: 400, slug: 'empty', extra: { detail: 'Write the note first: it is empty.' } },
      { body: JSON.stringify({ text: 'x'.repeat(1001) }), status: 400, slug: 'too-long', extra: { title: 'Too long' } },
      {
        number: '999999',
        body: JSON.stringify({ text: 'Hello' }),
        status: 404,
        slug: 'not-found',
        extra: { detail: 'This order does not exist.' },
      },
      { number: 'no such order!', body: JSON.stringify({ text: 'Hello' }), status: 404, slug: 'not-found' },
    ];
    const before = await notes();
    for (const c of cases) {
      const response = await post(c.number ?? '1003', auth, c.body, c.type);
      expect(response.status, c.slug).toBe(c.status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ type: `/api/v1/problems/${c.slug}`, status: c.status, ...c.extra });
    }
    expect(await notes()).toBe(before);
    await execute(revokeApiKeyCommand, database.db, { keyId: id }, OWNER, now);
    const revoked = await post('1003', auth, JSON.stringify({ text: 'Hello' }));
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ type: '/api/v1/problems/api-key-revoked' });
    expect(await notes()).toBe(before);
  });
});
