// A local fake of Resend's HTTP API (emails, batch, idempotency, errors, Svix-signed webhooks) that records what it got.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookResponse } from './webhook-signing.ts';
import { newSvixSecret, postWebhook, svixHeaders } from './webhook-signing.ts';

/**
 * How the next request(s) fail. `{ status }` answers with Resend's error JSON (429 adds `retry-after`);
 * 'hang' never answers; 'reset' destroys the connection; the `-after-accept` variants first accept and store
 * the email (and its idempotency record), then hang or reset: the outcome-unknown case.
 */
export type ResendFailMode =
  | 'hang'
  | 'reset'
  | 'hang-after-accept'
  | 'reset-after-accept'
  | { status: number; retryAfter?: number; name?: string; message?: string };

export type SentEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  /** The email's own headers (e.g. List-Unsubscribe), as sent in the JSON body. */
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  cc: string[] | null;
  bcc: string[] | null;
  replyTo: string[] | null;
  /** The Idempotency-Key of the request that created it, if any. */
  idempotencyKey: string | null;
  via: 'emails' | 'batch';
  createdAt: Date;
  lastEvent: string;
};

export type ResendWebhookDelivery = WebhookResponse & {
  svixId: string;
  timestamp: number;
  rawBody: string;
  headers: Record<string, string>;
};

export type ResendFake = {
  url: string;
  close(): Promise<void>;
  emails: SentEmail[];
  readonly requests: number;
  failNext(n: number, mode: ResendFailMode): void;
  /** Delay before each request is processed (lets a test overlap two requests with one idempotency key). */
  setLatency(ms: number): void;
  setWebhook(opts: { url: string; secret?: string }): { secret: string };
  sendWebhook(
    type: string,
    emailId: string,
    data?: Record<string, unknown>,
    opts?: { svixId?: string; timestamp?: number; url?: string },
  ): Promise<ResendWebhookDelivery>;
};

export type ResendFakeOptions = {
  /** When set, any other bearer token gets 403 invalid_api_key. */
  apiKey?: string;
  /** Requests per second before answering 429 rate_limit_exceeded (sliding one-second window); off by default. */
  rateLimitPerSecond?: number;
  latencyMs?: number;
  /** Clock for the 24 h idempotency window. */
  now?: () => number;
};

type ApiAnswer = { status: number; body: unknown; headers?: Record<string, string> };
type IdempotencyRecord = { fingerprint: string; at: number; answer: ApiAnswer | null };

const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function error(status: number, name: string, message: string, headers?: Record<string, string>): ApiAnswer {
  return { status, body: { statusCode: status, message, name }, headers };
}

function list(v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function address(v: string): string {
  const m = /<([^>]+)>\s*$/.exec(v);
  return (m?.[1] ?? v).trim();
}

/** Stable JSON (sorted keys) so "the same body" does not depend on key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Resend's checks on one email, as far as this product needs them; null when valid. */
function validateEmail(e: unknown, inBatch: boolean): { name: string; message: string } | null {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return { name: 'validation_error', message: 'Invalid email payload.' };
  const o = e as Record<string, unknown>;
  for (const field of ['from', 'to', 'subject'] as const) {
    if (o[field] === undefined || o[field] === null || o[field] === '') {
      return { name: 'missing_required_field', message: `Missing \`${field}\` field.` };
    }
  }
  if (o.html === undefined && o.text === undefined && o.template === undefined) {
    return { name: 'missing_required_field', message: 'Missing `html` or `text` field.' };
  }
  if (!EMAIL_RE.test(address(String(o.from)))) {
    return {
      name: 'validation_error',
      message: 'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
    };
  }
  const recipients = [...(list(o.to) ?? []), ...(list(o.cc) ?? []), ...(list(o.bcc) ?? [])];
  if ((list(o.to) ?? []).length > 50) return { name: 'validation_error', message: 'Too many recipients in `to`. Maximum is 50.' };
  for (const r of recipients) {
    if (!EMAIL_RE.test(address(r))) {
      return {
        name: 'validation_error',
        message: 'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
      };
    }
  }
  if (inBatch && Array.isArray(o.attachments) && o.attachments.length > 0) {
    return { name: 'validation_error', message: 'Attachments are not supported in batch sending.' };
  }
  return null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, a: ApiAnswer): void {
  if (res.destroyed || res.headersSent) return;
  const body = JSON.stringify(a.body);
  res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...a.headers });
  res.end(body);
}

export async function startResendFake(opts: ResendFakeOptions = {}): Promise<ResendFake> {
  const now = opts.now ?? Date.now;
  const emails: SentEmail[] = [];
  const byId = new Map<string, SentEmail>();
  const idempotency = new Map<string, IdempotencyRecord>();
  const failures: ResendFailMode[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const recent: number[] = [];
  let latencyMs = opts.latencyMs ?? 0;
  let requests = 0;
  let webhook: { url: string; secret: string } | null = null;

  function store(raw: Record<string, unknown>, key: string | null, via: SentEmail['via']): SentEmail {
    const email: SentEmail = {
      id: randomUUID(),
      from: String(raw.from),
      to: list(raw.to) ?? [],
      subject: String(raw.subject),
      html: typeof raw.html === 'string' ? raw.html : null,
      text: typeof raw.text === 'string' ? raw.text : null,
      headers: (raw.headers as Record<string, string> | undefined) ?? {},
      tags: (raw.tags as { name: string; value: string }[] | undefined) ?? [],
      cc: list(raw.cc),
      bcc: list(raw.bcc),
      replyTo: list(raw.reply_to),
      idempotencyKey: key,
      via,
      createdAt: new Date(now()),
      lastEvent: 'sent',
    };
    emails.push(email);
    byId.set(email.id, email);
    return email;
  }

  function sendOne(payload: unknown, key: string | null): ApiAnswer {
    const invalid = validateEmail(payload, false);
    if (invalid) return error(422, invalid.name, invalid.message);
    return { status: 200, body: { id: store(payload as Record<string, unknown>, key, 'emails').id } };
  }

  function sendBatch(payload: unknown, key: string | null, mode: string): ApiAnswer {
    if (!Array.isArray(payload)) return error(422, 'validation_error', 'The batch must be an array of emails.');
    if (payload.length === 0) return error(422, 'validation_error', 'The batch must contain at least 1 email.');
    if (payload.length > 100) return error(422, 'validation_error', 'Too many emails in the batch. The maximum is 100.');
    if (mode !== 'strict' && mode !== 'permissive') {
      return error(422, 'validation_error', 'Invalid `x-batch-validation` header. Use `strict` or `permissive`.');
    }
    const problems = payload.map((e, index) => ({ index, problem: validateEmail(e, true) }));
    const failed = problems.filter((p) => p.problem !== null);
    if (mode === 'strict' && failed.length > 0) {
      const first = failed[0];
      return error(422, first?.problem?.name ?? 'validation_error', `emails[${first?.index}]: ${first?.problem?.message}`);
    }
    const data = payload
      .filter((_, i) => problems[i]?.problem === null)
      .map((e) => ({ id: store(e as Record<string, unknown>, key, 'batch').id }));
    const body =
      mode === 'permissive' ? { data, errors: failed.map((f) => ({ index: f.index, message: f.problem?.message ?? '' })) } : { data };
    return { status: 200, body };
  }

  function getEmail(id: string): ApiAnswer {
    const e = byId.get(id);
    if (!e) return error(404, 'not_found', 'Email not found');
    return {
      status: 200,
      body: {
        object: 'email',
        id: e.id,
        to: e.to,
        from: e.from,
        created_at: e.createdAt.toISOString(),
        subject: e.subject,
        html: e.html,
        text: e.text,
        bcc: e.bcc,
        cc: e.cc,
        reply_to: e.replyTo,
        last_event: e.lastEvent,
        scheduled_at: null,
        message_id: `<${e.id}@resend.dev>`,
        tags: e.tags,
      },
    };
  }

  function delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  function rateLimited(): ApiAnswer | null {
    const limit = opts.rateLimitPerSecond;
    if (!limit) return null;
    const t = now();
    while (recent.length > 0 && (recent[0] ?? 0) <= t - 1000) recent.shift();
    if (recent.length >= limit) {
      const retryAfter = Math.max(1, Math.ceil(((recent[0] ?? t) + 1000 - t) / 1000));
      return error(429, 'rate_limit_exceeded', `Too many requests. You can only make ${limit} requests per second.`, {
        'retry-after': String(retryAfter),
        'ratelimit-limit': String(limit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(retryAfter),
      });
    }
    recent.push(t);
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ') || auth.length <= 'Bearer '.length) {
      return reply(
        res,
        error(
          401,
          'missing_api_key',
          'Missing API key in the authorization header. Include the following header Authorization: Bearer YOUR_API_KEY in the request.',
        ),
      );
    }
    if (opts.apiKey !== undefined && auth.slice('Bearer '.length) !== opts.apiKey) {
      return reply(res, error(403, 'invalid_api_key', 'API key is invalid'));
    }

    const failure = failures.shift();
    if (failure === 'hang') return; // never answered; the socket is destroyed by the client or by close()
    if (failure === 'reset') {
      req.socket.destroy();
      return;
    }
    if (failure !== undefined && typeof failure === 'object') {
      const status = failure.status;
      const name = failure.name ?? (status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'internal_server_error' : 'validation_error');
      const message =
        failure.message ??
        (status === 429
          ? 'Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.'
          : status >= 500
            ? 'An unexpected error occurred.'
            : 'Injected failure.');
      const headers: Record<string, string> = {};
      if (failure.retryAfter !== undefined) {
        headers['retry-after'] = String(failure.retryAfter);
        headers['ratelimit-reset'] = String(failure.retryAfter);
        headers['ratelimit-remaining'] = '0';
      }
      return reply(res, error(status, name, message, headers));
    }
    const limited = rateLimited();
    if (limited) return reply(res, limited);

    const isSend = method === 'POST' && (url.pathname === '/emails' || url.pathname === '/emails/batch');
    const getMatch = /^\/emails\/([^/]+)$/.exec(url.pathname);
    if (!isSend) {
      if (method === 'GET' && getMatch?.[1] && getMatch[1] !== 'batch') return reply(res, getEmail(decodeURIComponent(getMatch[1])));
      if (url.pathname === '/emails' || url.pathname === '/emails/batch')
        return reply(res, error(405, 'method_not_allowed', 'Method not allowed'));
      return reply(res, error(404, 'not_found', 'The requested endpoint does not exist.'));
    }

    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      return reply(res, error(422, 'validation_error', 'Invalid JSON body.'));
    }

    const key = req.headers['idempotency-key'];
    const idemKey = typeof key === 'string' ? key : null;
    let record: IdempotencyRecord | undefined;
    if (idemKey !== null) {
      if (idemKey.length < 1 || idemKey.length > 256) {
        return reply(res, error(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.'));
      }
      const fingerprint = createHash('sha256')
        .update(`${method} ${url.pathname}\n${canonical(payload)}`)
        .digest('hex');
      const existing = idempotency.get(idemKey);
      if (existing && now() - existing.at < IDEMPOTENCY_WINDOW_MS) {
        if (existing.fingerprint !== fingerprint) {
          return reply(
            res,
            error(
              409,
              'invalid_idempotent_request',
              'Same idempotency key used with a different request payload. Change your idempotency key or payload.',
            ),
          );
        }
        if (existing.answer === null) {
          return reply(
            res,
            error(
              409,
              'concurrent_idempotent_requests',
              'Same idempotency key used while original request is still in progress. Try the request again later.',
            ),
          );
        }
        return reply(res, existing.answer);
      }
      record = { fingerprint, at: now(), answer: null };
      idempotency.set(idemKey, record);
    }

    await delay(latencyMs);
    const answer =
      url.pathname === '/emails'
        ? sendOne(payload, idemKey)
        : sendBatch(payload, idemKey, String(req.headers['x-batch-validation'] ?? 'strict'));
    if (idemKey !== null && record) {
      // Only an accepted request holds its key; a rejected one may be corrected and retried with the same key.
      if (answer.status >= 200 && answer.status < 300) record.answer = answer;
      else idempotency.delete(idemKey);
    }
    if (failure === 'hang-after-accept') return;
    if (failure === 'reset-after-accept') {
      req.socket.destroy();
      return;
    }
    reply(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      reply(res, error(500, 'internal_server_error', err instanceof Error ? err.message : 'fake failed'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    emails,
    get requests() {
      return requests;
    },
    failNext(n, mode) {
      for (let i = 0; i < n; i++) failures.push(mode);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setWebhook(w) {
      webhook = { url: w.url, secret: w.secret ?? newSvixSecret() };
      return { secret: webhook.secret };
    },
    async sendWebhook(type, emailId, data = {}, o = {}) {
      if (!webhook) throw new Error('resend fake: call setWebhook() first');
      const email = byId.get(emailId);
      if (email && type.startsWith('email.')) email.lastEvent = type.slice('email.'.length);
      const createdAt = new Date(now()).toISOString();
      const rawBody = JSON.stringify({
        type,
        created_at: createdAt,
        data: {
          email_id: emailId,
          created_at: (email?.createdAt ?? new Date(now())).toISOString(),
          from: email?.from ?? 'Store <store@example.com>',
          to: email?.to ?? [],
          subject: email?.subject ?? '',
          ...data,
        },
      });
      const headers = svixHeaders({ secret: webhook.secret, body: rawBody, id: o.svixId, timestamp: o.timestamp });
      const result = await postWebhook(o.url ?? webhook.url, { ...headers, 'content-type': 'application/json' }, rawBody);
      return { ...result, svixId: headers['svix-id'], timestamp: Number(headers['svix-timestamp']), rawBody, headers: { ...headers } };
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
