// Specification of the log lines (src/observability/log.ts, request-log.ts, the notifier's pass line): in json mode
// one JSON object per line with level, time, msg and fields, and never an e-mail address or a phone number.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { passLogger, passText } from '#src/messages/notifier/start-notifier.ts';
import type { PassReport } from '#src/messages/notifier/worker.ts';
import { installLogFormat, jsonLine, logFormatOf, redact } from '#src/observability/log.ts';
import { logRequest, requestFields } from '#src/observability/request-log.ts';

/** Captures what a function writes to stdout and stderr, line by line (both in order; stderr's also apart). */
async function captured(run: () => unknown): Promise<string[] & { stderr: string[] }> {
  const lines = Object.assign([] as string[], { stderr: [] as string[] });
  const grab = (into: string[][]) => (chunk: string | Uint8Array) => {
    for (const list of into) list.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab([lines]));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab([lines, lines.stderr]));
  try {
    await run();
    return lines;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const parsed = (line: string) => JSON.parse(line) as { level: string; time: string; msg: string; fields?: Record<string, unknown> };

// Phone numbers as people write them: E.164, with spaces or dashes, national with an area code in brackets.
const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const phone = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 9 }), digits(7, 13)).map(([cc, rest]) => `+${cc}${rest}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), digits(2, 2), digits(3, 4), digits(4, 4)).map(([cc, a, b, c]) => `+${cc} ${a} ${b} ${c}`),
  fc.tuple(digits(3, 3), digits(3, 3), digits(4, 4)).map(([a, b, c]) => `(${a}) ${b}-${c}`),
  fc.tuple(digits(3, 3), digits(3, 3), digits(4, 4)).map(([a, b, c]) => `${a}-${b}-${c}`),
  fc.tuple(digits(3, 4), digits(6, 8)).map(([a, b]) => `0${a} ${b}`),
);
// Text around the personal data, as an error message or a console line might have it.
const around = fc.constantFrom('', ' ', 'lookup for ', 'params: ', '"', '<', '(', ',', 'to=', '\n');
const after = fc.constantFrom('', ' ', ' failed', '"', '>', ')', ',', '\n', '; retry');

describe('redaction: the last guard between a customer and the log collector', () => {
  it('removes any e-mail address and phone number from the message and from every string field', () => {
    fc.assert(
      fc.property(fc.emailAddress(), phone, around, after, (email, tel, before, end) => {
        const line = jsonLine('error', `${before}${email}${end} and ${before}${tel}${end}`, {
          detail: `${before}${tel}${end}`,
          to: email,
        });
        expect(line).not.toContain(email);
        expect(line).not.toContain(tel);
        expect(line).not.toContain(tel.replace(/[^\d+]/g, ''));
        const { msg, fields } = parsed(line);
        expect(msg).toContain('[email]');
        expect(msg).toContain('[phone]');
        expect(fields).toEqual({ detail: expect.stringContaining('[phone]'), to: '[email]' });
      }),
      { numRuns: 500 },
    );
  });

  it('leaves what a log line needs: dates, times, counts, durations, ids, route patterns', () => {
    for (const text of [
      'sweep: 3 cancelled, 12 notices sent',
      'due 2026-11-23 10:00, sent 2026-11-23T17:00:00.000Z',
      'GET /orders/[number] 200 in 12.5 ms',
      'notification 123456 lease may be lost',
      'Porchlight listening on http://127.0.0.1:4321 (pglite) — ready in 840 ms',
    ]) {
      expect(redact(text)).toBe(text);
    }
  });
});

describe('a JSON line', () => {
  it('is one object with level, an ISO time, msg and its fields', () => {
    const line = jsonLine('info', 'notifier pass', { claimed: 3, lane: 0 }, new Date('2026-11-23T17:00:00Z'));
    expect(line).not.toContain('\n');
    expect(parsed(line)).toEqual({
      level: 'info',
      time: '2026-11-23T17:00:00.000Z',
      msg: 'notifier pass',
      fields: { claimed: 3, lane: 0 },
    });
  });

  it('keeps a multi-line message (a stack trace) on one line, without terminal colour codes', () => {
    const line = jsonLine('error', '\u001b[31m[ERROR]\u001b[39m Could not render\n    at render (x.js:1:1)\n');
    expect(line.split('\n')).toHaveLength(1);
    expect(parsed(line).msg).toBe('[ERROR] Could not render\n    at render (x.js:1:1)');
  });

  it('is chosen by LOG_FORMAT=json only; anything else keeps the text form', () => {
    expect(logFormatOf({ LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: ' json ' })).toBe('json');
    expect(logFormatOf({})).toBe('text');
    expect(logFormatOf({ LOG_FORMAT: 'text' })).toBe('text');
  });
});

describe('the console in json mode', () => {
  let restore = () => {};
  afterEach(() => restore());

  it('turns every console line into a JSON object, errors to stderr at level error, personal data redacted', async () => {
    const target = { ...console } as Console;
    const lines = await captured(() => {
      restore = installLogFormat('json', target);
      target.log('Seeded a demo store with %d orders', 6);
      target.info('  order 1001  ada@example.com   (on time)');
      target.warn('slow');
      target.error(new Error('Failed query: select … params: ada@example.com,+15551234567'));
    });
    expect(lines).toHaveLength(4);
    const objects = lines.map(parsed);
    expect(objects.map((o) => o.level)).toEqual(['info', 'info', 'warn', 'error']);
    expect(objects[0]?.msg).toBe('Seeded a demo store with 6 orders');
    expect(objects[1]?.msg).toBe('  order 1001  [email]   (on time)');
    expect(objects[3]?.msg).toMatch(/^Error: Failed query: select … params: \[email\],\[phone\]\n\s+at /);
    expect(lines.join('\n')).not.toMatch(/ada@example\.com|5551234567/);
    expect(lines.stderr.map((l) => parsed(l).level)).toEqual(['warn', 'error']);
  });

  it('leaves the console alone in text mode', () => {
    const target = { ...console } as Console;
    const log = target.log;
    restore = installLogFormat('text', target);
    expect(target.log).toBe(log);
  });
});

describe('the request line', () => {
  beforeAll(() => {
    // config() is read once per process, on first use: json from the start of this file.
    process.env.LOG_FORMAT = 'json';
  });

  it('carries method, route pattern, status and duration, never the path, its query or a header', async () => {
    const request = new Request('http://portal.test/orders/1022?t=secret-token&email=ada@example.com', {
      headers: { cookie: '__Host-order=abc', 'x-forwarded-for': '203.0.113.9' },
    });
    const context = { request, routePattern: '/orders/[number]' } as unknown as Parameters<typeof logRequest>[0];
    const lines = await captured(() => logRequest(context, async () => new Response('ok', { status: 200 })));
    expect(lines).toHaveLength(1);
    const { level, msg, fields } = parsed(lines[0] as string);
    expect({ level, msg }).toEqual({ level: 'info', msg: 'request' });
    expect(fields).toEqual({ method: 'GET', route: '/orders/[number]', status: 200, duration_ms: expect.any(Number) });
    expect(lines[0]).not.toMatch(/1022|secret|ada|abc|203\.0/);
  });

  it('logs a request whose page throws as the 500 it becomes, at level error', async () => {
    const context = {
      request: new Request('http://portal.test/admin', { method: 'POST' }),
      routePattern: '/admin',
    } as unknown as Parameters<typeof logRequest>[0];
    const lines = await captured(() =>
      (
        logRequest(context, async () => {
          throw new Error('boom');
        }) as Promise<Response>
      ).catch(() => {}),
    );
    expect(parsed(lines[0] as string)).toMatchObject({ level: 'error', fields: { method: 'POST', route: '/admin', status: 500 } });
  });

  it('rounds the duration to a tenth of a millisecond', () => {
    expect(requestFields({ method: 'HEAD', route: '/readyz', status: 503, durationMs: 3.14 })).toEqual({
      method: 'HEAD',
      route: '/readyz',
      status: 503,
      duration_ms: 3.1,
    });
  });
});

describe('the notifier pass line', () => {
  const busy: PassReport = { lane: 1, claimed: 200, reclaimed: 2, outcomes: { sent: 197, failed: 1, sending: 2 }, durationMs: 1340 };
  const idle: PassReport = { lane: 0, claimed: 0, reclaimed: 0, outcomes: {}, durationMs: 1.2 };

  it('in text, reads as a sentence, and only for a pass that had messages', () => {
    const told: string[] = [];
    const log = passLogger('text', (m) => told.push(m));
    log(idle);
    log(busy);
    expect(told).toEqual(['notifier pass: 200 messages in 1.3 s (1 failed, 2 waiting, 197 sent, 2 taken over from a stopped send)']);
    expect(passText({ ...busy, claimed: 1, reclaimed: 0, outcomes: { sent: 1 } })).toBe('notifier pass: 1 message in 1.3 s (1 sent)');
  });

  it('in json, is one object of counts and a duration, and nothing for an idle pass', async () => {
    const told: string[] = [];
    const log = passLogger('json', (m) => told.push(m));
    const lines = await captured(() => {
      log(idle);
      log(busy);
    });
    expect(told).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(parsed(lines[0] as string)).toMatchObject({
      level: 'info',
      msg: 'notifier pass',
      fields: { lane: 1, claimed: 200, reclaimed: 2, sent: 197, failed: 1, sending: 2, duration_ms: 1340 },
    });
  });
});
