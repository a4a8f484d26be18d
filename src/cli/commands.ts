// The porchlight CLI's commands: parse flags, call a use case, say what happened and how many customers will be told.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { createApiKeyCommand, listApiKeys, revokeApiKeyCommand } from '#src/api-keys/manage-api-keys.ts';
import { execute } from '#src/commands/command.ts';
import { CLI } from '#src/commands/principal.ts';
import { orderEvidence } from '#src/compliance/evidence.ts';
import { runSweepCommand } from '#src/compliance/sweep.ts';
import { jobWhenFinished } from '#src/eta/bulk-jobs.ts';
import { moveLineEtaCommand } from '#src/eta/move-line-eta.ts';
import { moveSkuEtaCommand } from '#src/eta/move-sku-eta-command.ts';
import { countNoun } from '#src/i18n/count-noun.ts';
import { describeRefundForStaff } from '#src/i18n/refund-standing.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { addNote } from '#src/orders/add-customer-note.ts';
import { changeStatus } from '#src/orders/change-line-status.ts';
import { cancelAndRefund } from '#src/orders/staff-cancel.ts';
import { upsertOrderCommand } from '#src/orders/upsert-order.ts';
import { markRefundSentCommand } from '#src/refunds/refund-commands.ts';
import { STAFF_COMMANDS } from './staff-commands.ts';

export type CommandResult = { code: number; output: string };

/** A cancellation's refund as it stands: requested and due by a date (it is sent later, and recorded with refund:sent). */
function refundRequested(r: { refundId: number | null; refundAmount: number; currency: string; refundDueOn: string }): string {
  if (r.refundId === null) return 'nothing was paid, so no refund is owed';
  const standing = { state: 'requested', amount: r.refundAmount, currency: r.currency, dueOn: r.refundDueOn, overdue: false } as const;
  return `${describeRefundForStaff(standing).replace(/^Refund/, `refund ${r.refundId}`)} (record it with refund:sent once made)`;
}

const orderNo = z.string().trim().min(1).max(32);

export type Command = {
  usage: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  run(db: Db, flags: Record<string, string | boolean | undefined>): Promise<CommandResult>;
};

// The words `delay` and `evidence` keep for their own refusals (tests/e2e/notify-delay.spec.ts reads them).
const REASONS: Record<string, string> = {
  not_found: 'not found',
  invalid_date: 'that is not a real date',
  from_after_to: '--from is after --to',
  reason_required: '--reason is required: customers are told why',
  date_in_past: 'the new date is already in the past',
  no_date: 'give --from (and --to), or leave both out when no date can be given',
};

/** A command's refusal in the catalogue's words: bad input is exit code 2 (as a malformed flag is), any other 1. */
function refused(message: string, reason: string): CommandResult {
  return { code: reason === 'invalid_input' ? 2 : 1, output: `Refused: ${message}` };
}

function fail(reason: string): CommandResult {
  return { code: 1, output: `Refused: ${REASONS[reason] ?? reason}` };
}

function told(n: number): string {
  return `${countNoun(n, 'customer')} will be told`;
}

const statusCommand = (fixed?: 'shipped'): Command => ({
  usage: fixed ? 'ship --order N --line L [--tracking URL]' : 'status --order N --line L --to ready|shipped|delivered [--tracking URL]',
  options: { order: { type: 'string' }, line: { type: 'string' }, to: { type: 'string' }, tracking: { type: 'string' } },
  async run(db, flags) {
    const raw = { orderNumber: flags.order, lineNo: flags.line, to: fixed ?? flags.to, trackingUrl: flags.tracking };
    const r = await execute(changeStatus, db, raw, CLI);
    if (!r.ok) return refused(describeRefusal('change-line-status', r, raw), r.reason);
    return { code: 0, output: `Order ${r.orderNumber} line ${r.lineNo}: ${r.from} → ${r.to}; ${told(r.customersTold)}.` };
  },
});

export const COMMANDS: Record<string, Command> = {
  ...STAFF_COMMANDS,
  sweep: {
    usage: 'sweep [--now 2026-12-31T12:00:00Z]   (run the FTC sweep now, or as if at another moment)',
    options: { now: { type: 'string' } },
    async run(db, flags) {
      const raw = { asOf: flags.now };
      const r = await execute(runSweepCommand, db, raw, CLI);
      if (!r.ok) return refused(describeRefusal('run-sweep', r, raw), r.reason);
      return {
        code: 0,
        output: `Sweep: ${countNoun(r.cancelled, 'line')} cancelled with their refunds requested, ${countNoun(r.noticesSent, 'notice')} sent, ${r.atRisk} newly at risk, ${countNoun(r.refundsOverdue, 'refund')} newly overdue.`,
      };
    },
  },
  evidence: {
    usage: 'evidence --order N   (the full compliance trail of the order)',
    options: { order: { type: 'string' } },
    async run(db, flags) {
      const args = z.object({ order: orderNo }).parse(flags);
      const text = await orderEvidence(db, args.order);
      return text ? { code: 0, output: text } : fail('not_found');
    },
  },
  cancel: {
    usage: 'cancel --order N [--line L] --reason "…"   (the store will not ship: cancel and refund, 435.2(b)(4))',
    options: { order: { type: 'string' }, line: { type: 'string' }, reason: { type: 'string' } },
    async run(db, flags) {
      // No --line: the whole order.
      const raw = { orderNumber: flags.order, lineNo: flags.line ?? 'all', reason: flags.reason ?? '' };
      const r = await execute(cancelAndRefund, db, raw, CLI);
      if (!r.ok) return refused(describeRefusal('staff-cancel', r, raw), r.reason);
      return {
        code: 0,
        output: `Order ${r.orderNumber}: ${countNoun(r.cancelledLineIds.length, 'line')} cancelled; ${refundRequested(r)}; ${told(r.customersTold)}.`,
      };
    },
  },
  'refund:sent': {
    usage: 'refund:sent --refund ID --reference REF [--date YYYY-MM-DD]',
    options: { refund: { type: 'string' }, reference: { type: 'string' }, date: { type: 'string' } },
    async run(db, flags) {
      const raw = { refundId: flags.refund, reference: flags.reference, sentOn: flags.date };
      const r = await execute(markRefundSentCommand, db, raw, CLI);
      if (!r.ok) return refused(describeRefusal('mark-refund-sent', r, raw), r.reason);
      return { code: 0, output: `Refund ${String(flags.refund)} marked sent; ${told(r.customersTold)}.` };
    },
  },
  delay: {
    usage: 'delay --sku SKU --from YYYY-MM-DD [--to YYYY-MM-DD] --reason "…"   (omit --from and --to when no date can be given)',
    options: { sku: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' } },
    async run(db, flags) {
      // Omitting both dates is how the CLI says no date can be given.
      const noDate = flags.from === undefined && flags.to === undefined;
      const raw = { sku: flags.sku, from: flags.from, to: flags.to, reason: flags.reason ?? '', noDate };
      const started = Date.now();
      const r = await execute(moveSkuEtaCommand, db, raw, CLI);
      // The move's own refusals keep the CLI's words ("not found", "that is not a real date"), which scripts match.
      if (!r.ok) return r.reason === 'invalid_input' ? refused(describeRefusal('move-sku-eta', r, raw), r.reason) : fail(r.reason);
      if (!('jobId' in r)) throw new Error('the move was only previewed');
      // The move runs as a job (its page shows it too); the command line waits for it to end.
      const job = await jobWhenFinished(db, r.jobId);
      if (job?.status !== 'done') return fail(job?.error ?? 'the move did not finish');
      const done = job.result as { linesMoved: number; notices: number; cancelled: number; customersTold: number };
      const [from, to] = [flags.from as string | undefined, flags.to as string | undefined];
      return {
        code: 0,
        output: `SKU ${flags.sku}: moved ${countNoun(done.linesMoved, 'open line')} to ${from ?? 'no date'}${to ? ` – ${to}` : ''} in ${Date.now() - started} ms; ${countNoun(done.notices, 'delay notice')}, ${countNoun(done.cancelled, 'lapsed line')} cancelled; ${told(done.customersTold)}.`,
      };
    },
  },
  eta: {
    usage: 'eta --order N --line L --from YYYY-MM-DD [--to YYYY-MM-DD] --reason "…"',
    options: {
      order: { type: 'string' },
      line: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
    },
    async run(db, flags) {
      const raw = { orderNumber: flags.order, lineNo: flags.line, from: flags.from, to: flags.to, reason: flags.reason ?? '' };
      const r = await execute(moveLineEtaCommand, db, raw, CLI);
      if (!r.ok) return refused(describeRefusal('move-line-eta', r, raw), r.reason);
      return { code: 0, output: `Order ${String(flags.order).trim()} line ${flags.line}: ETA moved; ${told(r.customersTold)}.` };
    },
  },
  status: statusCommand(),
  ship: statusCommand('shipped'),
  note: {
    usage: 'note --order N --text "…"',
    options: { order: { type: 'string' }, text: { type: 'string' } },
    async run(db, flags) {
      const raw = { orderNumber: flags.order, text: flags.text ?? '' };
      const r = await execute(addNote, db, raw, CLI);
      if (!r.ok) return refused(describeRefusal('add-note', r, raw), r.reason);
      return { code: 0, output: `Order ${String(flags.order).trim()}: note added; ${told(r.customersTold)}.` };
    },
  },
  'api-key:create': {
    usage: 'api-key:create --name NAME --scope read|write   (prints the key alone on its last line, shown only this once)',
    options: { name: { type: 'string' }, scope: { type: 'string' } },
    async run(db, flags) {
      const raw = { name: flags.name ?? '', scope: flags.scope ?? '' };
      const r = await execute(createApiKeyCommand, db, raw, CLI);
      if (!r.ok) return refused(describeRefusal('create-api-key', r, raw), r.reason);
      return {
        code: 0,
        output: `API key "${r.apiKey.name}" created with the ${r.apiKey.scope} scope (id ${r.apiKey.id}). Store it now: it is shown only this once.\n${r.key}`,
      };
    },
  },
  'api-key:revoke': {
    usage: 'api-key:revoke --id ID   (the id is the part of the key between pl_ and the dot)',
    options: { id: { type: 'string' } },
    async run(db, flags) {
      const raw = { keyId: flags.id ?? '' };
      const r = await execute(revokeApiKeyCommand, db, raw, CLI);
      if (!r.ok) return refused(describeRefusal('revoke-api-key', r, raw), r.reason);
      return { code: 0, output: `API key "${r.apiKey.name}" (id ${r.apiKey.id}) revoked: requests with it now get 401.` };
    },
  },
  'api-key:list': {
    usage: 'api-key:list',
    options: {},
    async run(db) {
      const keys = await listApiKeys(db);
      if (keys.length === 0) return { code: 0, output: 'No API keys yet. Create one with api-key:create.' };
      const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'never');
      const lines = keys.map(
        (k) =>
          `${k.id}  ${k.scope.padEnd(5)}  ${k.name}  (last used ${when(k.lastUsedAt)}${k.revokedAt ? `; revoked ${when(k.revokedAt)}` : ''})`,
      );
      return { code: 0, output: lines.join('\n') };
    },
  },
  'order:upsert': {
    usage: "order:upsert --file order.json --number N   (create or update an order from the API's JSON body)",
    options: { file: { type: 'string' }, number: { type: 'string' } },
    async run(db, flags) {
      if (typeof flags.file !== 'string' || flags.file === '') return { code: 2, output: 'Give the order as --file order.json.' };
      let body: unknown;
      try {
        body = JSON.parse(await readFile(flags.file, 'utf8'));
      } catch (error) {
        return { code: 2, output: `Could not read ${flags.file} as JSON: ${(error as Error).message}` };
      }
      const raw = { ...(body !== null && typeof body === 'object' && !Array.isArray(body) ? body : { body }), orderNumber: flags.number };
      const r = await execute(upsertOrderCommand, db, raw, CLI);
      if (!r.ok) {
        const sentence = describeRefusal('upsert-order', r, raw);
        return refused(r.reason === 'invalid_input' ? `${sentence} (${r.fields.join(', ')})` : sentence, r.reason);
      }
      const what = r.created ? 'created' : r.changed ? 'updated' : 'unchanged (nothing new in the file)';
      const alone = r.leftAlone.length ? `; left alone (shipped, delivered or cancelled): ${r.leftAlone.join(', ')}` : '';
      return { code: 0, output: `Order ${r.orderNumber}: ${what}${alone}; ${told(r.customersTold)}.` };
    },
  },
};

/** `--file` made absolute, so the running portal reads the file the operator named from where they are. */
export function withAbsoluteFiles(argv: readonly string[], cwd: string = process.cwd()): string[] {
  return argv.map((arg, i) => {
    if (argv[i - 1] === '--file') return resolve(cwd, arg);
    return arg.startsWith('--file=') ? `--file=${resolve(cwd, arg.slice('--file='.length))}` : arg;
  });
}

export function usage(): string {
  return ['Usage: npm run porchlight -- <command> [flags]', '', ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join('\n');
}

/** Runs one command line against a database; bad input is a message and exit code 2, never a stack trace. */
export async function runCommand(db: Db, argv: string[]): Promise<CommandResult> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) return { code: 2, output: name ? `Unknown command "${name}".\n\n${usage()}` : usage() };
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { code: 2, output: `${(error as Error).message}\nUsage: npm run porchlight -- ${command.usage}` };
  }
  try {
    return await command.run(db, flags);
  } catch (error) {
    if (error instanceof z.ZodError) {
      const problems = error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n');
      return { code: 2, output: `${problems}\nUsage: npm run porchlight -- ${command.usage}` };
    }
    throw error;
  }
}
