// The order commands (change a line's status, cancel and refund) as every entry point meets them: one schema for form
// fields, CLI flags and JSON bodies, one rule for who may, and one sentence and status for each refusal.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { orderLines, orders } from '#db/schema/index.ts';
import { type DemoLogin, seedDemo } from '#db/seed.ts';
import { runCommand } from '#src/cli/commands.ts';
import { execute } from '#src/commands/command.ts';
import type { Principal } from '#src/commands/principal.ts';
import { refusalStatus } from '#src/commands/refusal-status.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { changeStatus } from '#src/orders/change-line-status.ts';
import { cancelAndRefund, cancelTargetOf } from '#src/orders/staff-cancel.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-23T16:00:00Z');
const agent: Principal = { kind: 'staff', staffId: 2, role: 'agent' };
let database: Database;
let logins: DemoLogin[];
const byScenario = (scenario: DemoLogin['scenario']) =>
  logins
    .filter((l) => l.scenario === scenario)
    .map((l) => l.number)
    .sort();

beforeAll(async () => {
  database = await freshDatabase();
  logins = await seedDemo(database.db, now);
});
afterAll(() => database.close());

/** Line 1 of an order as stored. */
const lineOf = async (number: string) => {
  const [line] = await database.db
    .select({ status: orderLines.status, trackingUrl: orderLines.trackingUrl })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(eq(orders.number, number), eq(orderLines.lineNo, 1)));
  return line;
};

describe('change-line-status', () => {
  it('takes form fields (text) and a JSON body (numbers) alike, and answers with the order and line it changed', async () => {
    const [a, b] = byScenario('on_time') as [string, string];
    const fromForm = await execute(
      changeStatus,
      database.db,
      { orderNumber: `#${a}`, lineNo: '1', to: 'ready', trackingUrl: '' },
      agent,
      now,
    );
    expect(fromForm).toMatchObject({ ok: true, orderNumber: a, lineNo: 1, from: 'waiting', to: 'ready' });
    const api: Principal = { kind: 'api_key', keyId: 'k7', scope: 'write' };
    expect(await execute(changeStatus, database.db, { orderNumber: b, lineNo: 1, to: 'ready' }, api, now)).toMatchObject({
      ok: true,
      lineNo: 1,
    });
  });

  it('refuses with one sentence and status per reason: the tracking link rules, cancelling, the same status, no such line', async () => {
    const [number] = byScenario('ready') as [string];
    const cases: Array<[Record<string, unknown>, string, number, string]> = [
      [
        { lineNo: '1', to: 'delivered', trackingUrl: 'https://t.example/1' },
        'tracking_without_shipping',
        400,
        'A tracking link goes with shipping: choose “Shipped”, or leave the tracking link empty.',
      ],
      [
        { lineNo: '1', to: 'shipped', trackingUrl: 'ftp://t.example/1' },
        'invalid_input',
        400,
        'The tracking link must be a full web address starting with https:// or http://.',
      ],
      [{ lineNo: '1e0', to: 'shipped' }, 'invalid_input', 400, 'Choose a line and a new status.'],
      [{ lineNo: '1', to: 'cancelled' }, 'use_cancel', 400, 'To cancel a line, use “Cancel and refund”: it works out the refund first.'],
      [{ lineNo: '1', to: 'ready' }, 'same_status', 409, 'Line 1 is already ready to ship. Nothing changed.'],
      [{ lineNo: '1', to: 'waiting' }, 'not_allowed', 409, 'Line 1 is ready to ship; it cannot become waiting. Nothing changed.'],
      [{ lineNo: '9', to: 'shipped' }, 'not_found', 404, 'This order has no line 9.'],
    ];
    for (const [fields, reason, status, sentence] of cases) {
      const raw = { orderNumber: number, ...fields };
      const r = await execute(changeStatus, database.db, raw, agent, now);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect([r.reason, refusalStatus(r.reason), describeRefusal('change-line-status', r, raw)]).toEqual([reason, status, sentence]);
    }
    expect((await lineOf(number))?.status).toBe('ready');
  });

  it('is for staff and write keys only', async () => {
    const [number] = byScenario('ready') as [string];
    const raw = { orderNumber: number, lineNo: 1, to: 'shipped' };
    const read: Principal = { kind: 'api_key', keyId: 'k7', scope: 'read' };
    const customer: Principal = { kind: 'customer', orderId: 1, purpose: 'order_view', lineId: null };
    for (const principal of [read, customer]) {
      expect(await execute(changeStatus, database.db, raw, principal, now)).toEqual({ ok: false, reason: 'forbidden' });
    }
  });

  it('the CLI ships with a tracking link, and says the console’s sentence when it refuses', async () => {
    const [, number] = byScenario('ready') as [string, string];
    const refused = await runCommand(database.db, [
      'status',
      '--order',
      number,
      '--line',
      '1',
      '--to',
      'delivered',
      '--tracking',
      'https://t.example/9',
    ]);
    expect(refused).toEqual({
      code: 1,
      output: 'Refused: A tracking link goes with shipping: choose “Shipped”, or leave the tracking link empty.',
    });
    const bad = await runCommand(database.db, ['ship', '--order', number, '--line', 'one']);
    expect(bad).toEqual({ code: 2, output: 'Refused: Choose a line and a new status.' });
    const shipped = await runCommand(database.db, ['ship', '--order', number, '--line', '1', '--tracking', 'https://t.example/9']);
    expect(shipped.code).toBe(0);
    expect(shipped.output).toMatch(new RegExp(`^Order ${number} line 1: ready → shipped; \\d+ customers? will be told\\.$`));
    expect(await lineOf(number)).toEqual({ status: 'shipped', trackingUrl: 'https://t.example/9' });
  });
});

describe('staff-cancel', () => {
  it('reads the whole order as "all" from a form or the CLI, or null from a JSON body; a line by its number', async () => {
    expect([cancelTargetOf('all'), cancelTargetOf('2'), cancelTargetOf('1e0'), cancelTargetOf(undefined)]).toEqual(['all', 2, null, null]);
    const [a, b] = byScenario('delayed') as [string, string];
    for (const [number, lineNo] of [
      [a, 'all'],
      [b, null],
    ] as const) {
      const r = await execute(cancelAndRefund, database.db, { orderNumber: number, lineNo, reason: 'We cannot supply it' }, agent, now);
      expect(r).toMatchObject({ ok: true, orderNumber: number });
      expect((await lineOf(number))?.status).toBe('cancelled');
    }
  });

  it('refuses with the console’s sentences: no line chosen, no reason, no such line, nothing open', async () => {
    const [open] = byScenario('late') as [string];
    const [shipped] = byScenario('shipped') as [string];
    const cases: Array<[Record<string, unknown>, string, number, string]> = [
      [{ orderNumber: open, reason: 'x' }, 'invalid_input', 400, 'Choose what to cancel.'],
      [
        { orderNumber: open, lineNo: '1', reason: '  ' },
        'invalid_input',
        400,
        'Give a reason for the cancellation (at most 500 characters, without control characters): the customer is told.',
      ],
      [
        { orderNumber: open, lineNo: '1', reason: 'a\u0000b' },
        'invalid_input',
        400,
        'Give a reason for the cancellation (at most 500 characters, without control characters): the customer is told.',
      ],
      [{ orderNumber: open, lineNo: '9', reason: 'x' }, 'not_found', 404, 'There is no such line on this order.'],
      [{ orderNumber: '424242', lineNo: 'all', reason: 'x' }, 'not_found', 404, 'This order does not exist.'],
      [
        { orderNumber: shipped, lineNo: 'all', reason: 'x' },
        'nothing_to_cancel',
        409,
        'Nothing was cancelled: the line has already shipped or was cancelled.',
      ],
    ];
    for (const [raw, reason, status, sentence] of cases) {
      const r = await execute(cancelAndRefund, database.db, raw, agent, now);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect([r.reason, refusalStatus(r.reason), describeRefusal('staff-cancel', r, raw)]).toEqual([reason, status, sentence]);
    }
    expect((await lineOf(open))?.status).not.toBe('cancelled');
    const cli = await runCommand(database.db, ['cancel', '--order', open]);
    expect(cli.code).toBe(2);
    expect(cli.output).toMatch(/^Refused: Give a reason for the cancellation/);
  });
});
