// Specification of the command kernel: a command's input is parsed and its rule checked on the server before its
// handler runs, for every entry point; a refusal names its reason and, for bad input, only the fields at fault.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { defineCommand, execute } from '#src/commands/command.ts';
import { actorOf, CLI, type Principal } from '#src/commands/principal.ts';
import { COMMANDS } from '#src/commands/registry.ts';
import { anyOf, apiKey, customerOf, staff, system } from '#src/commands/rules.ts';
import { id } from '#src/input/ids.ts';

const db = {} as Db;
const owner: Principal = { kind: 'staff', staffId: 1, role: 'owner' };
const agent: Principal = { kind: 'staff', staffId: 2, role: 'agent' };
const readKey: Principal = { kind: 'api_key', keyId: 'k1', scope: 'read' };
const writeKey: Principal = { kind: 'api_key', keyId: 'k2', scope: 'write' };
const customer = (orderId: number, lineId: number | null = null): Principal => ({ kind: 'customer', orderId, purpose: 'consent', lineId });
const sweep: Principal = { kind: 'system', name: 'sweep' };
const everyone = [owner, agent, readKey, writeKey, customer(7), CLI, sweep];

/** A command whose handler records what it was given, so a test can tell whether it ran. */
function recordingCommand(allow: Parameters<typeof defineCommand>[0]['allow']) {
  const ran: unknown[] = [];
  const command = defineCommand({
    name: 'test-command',
    input: z.object({ orderId: id, line: id }),
    allow,
    run: async (_db, input: { orderId: number; line: number }, context) => {
      ran.push({ input, actor: context.actor });
      return { ok: true as const, line: input.line };
    },
  });
  return { command, ran };
}

describe('execute', () => {
  it('parses form text and JSON numbers with the same schema, then runs the handler as the principal', async () => {
    const { command, ran } = recordingCommand(staff());
    expect(await execute(command, db, { orderId: '7', line: '2' }, agent)).toEqual({ ok: true, line: 2 });
    expect(await execute(command, db, { orderId: 7, line: 2 }, CLI)).toEqual({ ok: true, line: 2 });
    expect(ran).toEqual([
      { input: { orderId: 7, line: 2 }, actor: { type: 'staff', id: '2' } },
      { input: { orderId: 7, line: 2 }, actor: { type: 'staff', id: 'cli' } },
    ]);
  });

  it('refuses bad input without running, naming the fields at fault and never their values', async () => {
    const { command, ran } = recordingCommand(staff());
    const r = await execute(command, db, { orderId: 'secret@example.com', line: '0' }, owner);
    expect(r).toEqual({
      ok: false,
      reason: 'invalid_input',
      fields: ['orderId', 'line'],
      issues: [
        { path: ['orderId'], message: expect.any(String) },
        { path: ['line'], message: expect.any(String) },
      ],
    });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(ran).toEqual([]);
  });

  it('refuses a principal the rule does not allow, whatever the input, without running', async () => {
    const { command, ran } = recordingCommand(staff('owner'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(agent, readKey, writeKey, customer(7), sweep), fc.anything(), async (principal, raw) => {
        const r = await execute(command, db, raw, principal);
        expect(r.ok).toBe(false);
      }),
    );
    expect(ran).toEqual([]);
  });
});

describe('rules', () => {
  const allowed = (rule: (p: Principal, input: { orderId: number; line: number }) => boolean) =>
    everyone.filter((p) => rule(p, { orderId: 7, line: 3 }));

  it('staff(): any staff member and the operator at the CLI; staff("owner"): owners and the CLI only', () => {
    expect(allowed(staff())).toEqual([owner, agent, CLI]);
    expect(allowed(staff('owner'))).toEqual([owner, CLI]);
  });

  it('apiKey(scope): a write key may read, a read key may not write', () => {
    expect(allowed(apiKey('read'))).toEqual([readKey, writeKey]);
    expect(allowed(apiKey('write'))).toEqual([writeKey]);
  });

  it('customerOf: only a token for this order, for the purpose, and for this line when the token names one', () => {
    const rule = customerOf(
      (i: { orderId: number; line: number }) => i.orderId,
      ['consent'],
      (i) => i.line,
    );
    expect(rule(customer(7), { orderId: 7, line: 3 })).toBe(true);
    expect(rule(customer(8), { orderId: 7, line: 3 })).toBe(false);
    expect(rule(customer(7, 3), { orderId: 7, line: 3 })).toBe(true);
    expect(rule(customer(7, 4), { orderId: 7, line: 3 })).toBe(false);
    expect(rule({ kind: 'customer', orderId: 7, purpose: 'cancel', lineId: null }, { orderId: 7, line: 3 })).toBe(false);
    expect(rule(owner, { orderId: 7, line: 3 })).toBe(false);
  });

  it('system and anyOf', () => {
    expect(allowed(system)).toEqual([sweep]);
    expect(allowed(anyOf(staff('owner'), apiKey('write')))).toEqual([owner, writeKey, CLI]);
  });

  it('the event log records who: staff by id, the CLI as staff "cli", a key by its id, customers and the system without one', () => {
    expect(everyone.map(actorOf)).toEqual([
      { type: 'staff', id: '1' },
      { type: 'staff', id: '2' },
      { type: 'api', id: 'key:k1' },
      { type: 'api', id: 'key:k2' },
      { type: 'customer', id: null },
      { type: 'staff', id: 'cli' },
      { type: 'system', id: null },
    ]);
  });
});

describe('the registry', () => {
  it('files every command under its own name', () => {
    for (const [name, command] of Object.entries(COMMANDS)) expect(command.name).toBe(name);
  });
});
