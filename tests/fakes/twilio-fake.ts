// A local fake of Twilio's Messages API (create, list, fetch, errors, opt-outs, signed callbacks) that records what it got.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookResponse } from './webhook-signing.ts';
import { formBody, postWebhook, twilioSignature } from './webhook-signing.ts';

/**
 * How the next request(s) fail. `{ status, code? }` answers with Twilio's error JSON (429 → code 20429, 5xx → 20500,
 * 400 with code 21211 / 21610 / … for permanent errors; `retryAfter` adds a Retry-After header); 'hang' never answers;
 * 'reset' destroys the connection; the `-after-accept` variants first create the message, then hang or reset
 * (the outcome-unknown case that must be reconciled by listing).
 */
export type TwilioFailMode =
  | 'hang'
  | 'reset'
  | 'hang-after-accept'
  | 'reset-after-accept'
  | { status: number; code?: number; message?: string; retryAfter?: number };

export type FakeSms = {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  numSegments: number;
  statusCallback: string | null;
  validityPeriod: number | null;
  status: string;
  errorCode: number | null;
  dateCreated: Date;
  /** The fake treats every accepted message as sent at once, so DateSent filters apply to this. */
  dateSent: Date;
};

export type TwilioFake = {
  url: string;
  accountSid: string;
  authToken: string;
  close(): Promise<void>;
  messages: FakeSms[];
  /** Numbers that replied STOP: sending to them answers 400 / 21610. */
  optedOut: Set<string>;
  readonly requests: number;
  failNext(n: number, mode: TwilioFailMode): void;
  setLatency(ms: number): void;
  /**
   * POSTs a status callback for a message, signed over `publicUrl` (default: the message's StatusCallback) and sent
   * to `url` (default: the message's StatusCallback). `authToken` defaults to the fake's own.
   */
  sendStatusCallback(
    sid: string,
    status: string,
    opts?: { authToken?: string; publicUrl?: string; url?: string; errorCode?: number },
  ): Promise<WebhookResponse & { params: Record<string, string>; signature: string }>;
  /** POSTs an inbound SMS webhook; STOP-type keywords also opt the sender out (START/YES/UNSTOP opt back in). */
  sendInbound(opts: {
    url: string;
    publicUrl?: string;
    authToken?: string;
    from: string;
    to: string;
    body: string;
    messagingServiceSid?: string;
  }): Promise<WebhookResponse & { params: Record<string, string>; signature: string }>;
};

export type TwilioFakeOptions = {
  /** Account the fake serves (default: a random AC… sid); requests for another account get 404 / 20404. */
  accountSid?: string;
  /** Basic-auth password the fake expects (default: a random token). */
  authToken?: string;
  latencyMs?: number;
  now?: () => number;
};

type ApiAnswer = { status: number; body: unknown; headers?: Record<string, string> };

const API = '2010-04-01';
const E164 = /^\+[1-9]\d{6,14}$/;
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const KNOWN_ERRORS: Record<number, string> = {
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  20503: 'Service Unavailable',
  21211: "Invalid 'To' Phone Number",
  21602: 'Message body is required.',
  21603: "A 'From' phone number is required.",
  21604: "A 'To' phone number is required.",
  21610: 'Attempt to send to unsubscribed recipient',
  21617: 'The concatenated message body exceeds the 1600 character limit.',
};

// GSM 03.38 basic set and the extension set (each extension character costs two septets).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** Segments as Twilio bills them: GSM-7 160 / 153 septets, otherwise UCS-2 70 / 67 UTF-16 units. */
export function countSegments(body: string): number {
  let septets = 0;
  let gsm = true;
  for (const ch of body) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

function twilioError(status: number, code: number, message?: string, headers?: Record<string, string>): ApiAnswer {
  return {
    status,
    body: { code, message: message ?? KNOWN_ERRORS[code] ?? 'Error', more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    headers,
  };
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
  res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...a.headers });
  res.end(body);
}

/** Twilio's `DateSent` filters take `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`; a bare date covers the whole UTC day. */
function parseFilterDate(v: string): { start: number; end: number } | null {
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  return { start: t, end: dayOnly ? t + 86_400_000 : t + 1000 };
}

export async function startTwilioFake(opts: TwilioFakeOptions = {}): Promise<TwilioFake> {
  const now = opts.now ?? Date.now;
  const accountSid = opts.accountSid ?? sid('AC');
  const authToken = opts.authToken ?? randomBytes(16).toString('hex');
  const messages: FakeSms[] = [];
  const bySid = new Map<string, FakeSms>();
  const optedOut = new Set<string>();
  const failures: TwilioFailMode[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let latencyMs = opts.latencyMs ?? 0;
  let requests = 0;

  const base = `/${API}/Accounts/${accountSid}`;

  function json(m: FakeSms, forCreate: boolean): Record<string, unknown> {
    return {
      account_sid: m.accountSid,
      api_version: API,
      body: m.body,
      date_created: rfc2822(m.dateCreated),
      date_sent: forCreate ? null : rfc2822(m.dateSent),
      date_updated: rfc2822(forCreate ? m.dateCreated : new Date(now())),
      direction: 'outbound-api',
      error_code: m.errorCode,
      error_message: null,
      from: m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: '0',
      num_segments: String(m.numSegments),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `${base}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri: `${base}/Messages/${m.sid}.json`,
    };
  }

  function create(form: URLSearchParams): ApiAnswer {
    const to = form.get('To');
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    if (!to) return twilioError(400, 21604);
    if (!from && !service) return twilioError(400, 21603);
    if (!body && !form.get('MediaUrl') && !form.get('ContentSid')) return twilioError(400, 21602);
    if (!E164.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (body.length > 1600) return twilioError(400, 21617);
    if (optedOut.has(to)) return twilioError(400, 21610);
    const validity = form.get('ValidityPeriod');
    const at = new Date(now());
    const m: FakeSms = {
      sid: sid('SM'),
      accountSid,
      to,
      from: from ?? null,
      messagingServiceSid: service ?? null,
      body,
      numSegments: countSegments(body),
      statusCallback: form.get('StatusCallback'),
      validityPeriod: validity === null ? null : Number(validity),
      // Twilio answers "accepted" for a Messaging Service send that has not picked a sender yet.
      status: from ? 'queued' : 'accepted',
      errorCode: null,
      dateCreated: at,
      dateSent: at,
    };
    messages.push(m);
    bySid.set(m.sid, m);
    return { status: 201, body: json(m, true) };
  }

  function listPage(query: URLSearchParams): ApiAnswer {
    const to = query.get('To');
    const from = query.get('From');
    const on = query.get('DateSent');
    const before = query.get('DateSent<');
    const after = query.get('DateSent>');
    const ranges = {
      on: on ? parseFilterDate(on) : null,
      before: before ? parseFilterDate(before) : null,
      after: after ? parseFilterDate(after) : null,
    };
    if ((on && !ranges.on) || (before && !ranges.before) || (after && !ranges.after)) {
      return twilioError(400, 20001, 'Invalid DateSent filter');
    }
    const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
    const page = Math.max(0, Number(query.get('Page') ?? 0) || 0);
    const matching = messages
      .filter((m) => {
        const sent = m.dateSent.getTime();
        if (to && m.to !== to) return false;
        if (from && m.from !== from) return false;
        // On the wire these are `DateSent>=` / `DateSent<=`: inclusive, to the second.
        if (ranges.on && (sent < ranges.on.start || sent >= ranges.on.end)) return false;
        if (ranges.before && sent >= ranges.before.end) return false;
        if (ranges.after && sent < ranges.after.start) return false;
        return true;
      })
      .reverse(); // newest first, as Twilio lists them
    const slice = matching.slice(page * pageSize, (page + 1) * pageSize);
    const filters = new URLSearchParams();
    for (const k of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>']) {
      const v = query.get(k);
      if (v !== null) filters.set(k, v);
    }
    const uriFor = (p: number): string => {
      const q = new URLSearchParams(filters);
      q.set('PageSize', String(pageSize));
      q.set('Page', String(p));
      const last = p > page ? slice.at(-1) : undefined;
      if (last) q.set('PageToken', `PA${last.sid}`);
      return `${base}/Messages.json?${q.toString()}`;
    };
    const hasNext = (page + 1) * pageSize < matching.length;
    return {
      status: 200,
      body: {
        messages: slice.map((m) => json(m, false)),
        end: page * pageSize + Math.max(0, slice.length - 1),
        first_page_uri: uriFor(0),
        next_page_uri: hasNext ? uriFor(page + 1) : null,
        previous_page_uri: page > 0 ? uriFor(page - 1) : null,
        page,
        page_size: pageSize,
        start: page * pageSize,
        uri: uriFor(page),
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';

    const auth = req.headers.authorization ?? '';
    const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const pass = decoded.slice(colon + 1);
    if (colon < 0 || user !== accountSid || pass !== authToken) return reply(res, twilioError(401, 20003));

    const failure = failures.shift();
    if (failure === 'hang') return;
    if (failure === 'reset') {
      req.socket.destroy();
      return;
    }
    if (failure !== undefined && typeof failure === 'object') {
      const code =
        failure.code ?? (failure.status === 429 ? 20429 : failure.status === 503 ? 20503 : failure.status >= 500 ? 20500 : 21211);
      const headers: Record<string, string> = {};
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      return reply(res, twilioError(failure.status, code, failure.message, headers));
    }

    const accountMatch = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/.exec(url.pathname);
    if (!accountMatch || accountMatch[1] !== accountSid) {
      return reply(res, twilioError(404, 20404, `The requested resource ${url.pathname} was not found`));
    }
    const messageSid = accountMatch[2];
    await delay(latencyMs);

    if (messageSid !== undefined) {
      if (method !== 'GET') return reply(res, twilioError(405, 20004, 'Method not allowed'));
      const m = bySid.get(messageSid);
      return reply(
        res,
        m ? { status: 200, body: json(m, false) } : twilioError(404, 20404, `The requested resource ${url.pathname} was not found`),
      );
    }
    if (method === 'GET') return reply(res, listPage(url.searchParams));
    if (method !== 'POST') return reply(res, twilioError(405, 20004, 'Method not allowed'));

    const answer = create(new URLSearchParams(raw));
    if (failure === 'hang-after-accept') return;
    if (failure === 'reset-after-accept') {
      req.socket.destroy();
      return;
    }
    reply(res, answer);
  }

  async function signedPost(target: string, publicUrl: string, token: string, params: Record<string, string>) {
    const signature = twilioSignature(token, publicUrl, params);
    const result = await postWebhook(
      target,
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
        'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
      },
      formBody(params),
    );
    return { ...result, params, signature };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      reply(res, twilioError(500, 20500, err instanceof Error ? err.message : undefined));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    optedOut,
    get requests() {
      return requests;
    },
    failNext(n, mode) {
      for (let i = 0; i < n; i++) failures.push(mode);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    async sendStatusCallback(messageSid, status, o = {}) {
      const m = bySid.get(messageSid);
      if (!m) throw new Error(`twilio fake: no message ${messageSid}`);
      const target = o.url ?? m.statusCallback;
      if (!target) throw new Error(`twilio fake: message ${messageSid} has no StatusCallback and no url was given`);
      m.status = status;
      if (o.errorCode !== undefined) m.errorCode = o.errorCode;
      const params: Record<string, string> = {
        AccountSid: m.accountSid,
        ApiVersion: API,
        From: m.from ?? '+15005550006',
        MessageSid: m.sid,
        MessageStatus: status,
        SmsSid: m.sid,
        SmsStatus: status,
        To: m.to,
      };
      if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
      if (o.errorCode !== undefined) params.ErrorCode = String(o.errorCode);
      return signedPost(target, o.publicUrl ?? m.statusCallback ?? target, o.authToken ?? authToken, params);
    },
    async sendInbound(o) {
      const messageSid = sid('SM');
      const keyword = o.body.trim().toUpperCase();
      const params: Record<string, string> = {
        ToCountry: 'US',
        ToState: '',
        SmsMessageSid: messageSid,
        NumMedia: '0',
        ToCity: '',
        FromZip: '',
        SmsSid: messageSid,
        FromState: '',
        SmsStatus: 'received',
        FromCity: '',
        Body: o.body,
        FromCountry: 'US',
        To: o.to,
        ToZip: '',
        NumSegments: String(countSegments(o.body)),
        MessageSid: messageSid,
        AccountSid: accountSid,
        From: o.from,
        ApiVersion: API,
      };
      if (o.messagingServiceSid) params.MessagingServiceSid = o.messagingServiceSid;
      // Twilio's default opt-out handling blocks the number and still forwards the message, tagged.
      if (OPT_OUT.has(keyword)) {
        optedOut.add(o.from);
        params.OptOutType = 'STOP';
      } else if (OPT_IN.has(keyword)) {
        optedOut.delete(o.from);
        params.OptOutType = 'START';
      } else if (keyword === 'HELP' || keyword === 'INFO') {
        params.OptOutType = 'HELP';
      }
      return signedPost(o.url, o.publicUrl ?? o.url, o.authToken ?? authToken, params);
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
