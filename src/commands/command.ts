// A command is the one way a change enters: its input schema, who may run it, and a handler that owns one transaction
// and answers `{ ok: true, … }` or `{ ok: false, reason }` with reasons from a closed union. Console forms, the CLI
// and the API parse nothing themselves: they hand the raw fields to `execute` (docs/architecture.md).
import type { z } from 'zod';
import type { Db } from '#db/client.ts';
import type { Actor } from './actor.ts';
import { actorOf, type Principal } from './principal.ts';
import type { Rule } from './rules.ts';

export type CommandContext = { principal: Principal; actor: Actor; now: Date };
export type Outcome = { ok: true } | { ok: false; reason: string };

export type Command<Name extends string, In, Out extends Outcome> = {
  readonly name: Name;
  readonly input: z.ZodType<In>;
  readonly allow: Rule<In>;
  readonly run: (db: Db, input: In, context: CommandContext) => Promise<Out>;
};

// biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of every input and outcome
export type AnyCommand = Command<string, any, Outcome>;

/** One way the input fails the schema: where (the field's path) and why, never the value. */
export type InputIssue = { path: (string | number)[]; message: string };
/** Input that fails the schema: the names of the fields at fault and the issues (never their values). */
export type InvalidInput = { ok: false; reason: 'invalid_input'; fields: string[]; issues: InputIssue[] };
export type Forbidden = { ok: false; reason: 'forbidden' };

export type InputOf<C> = C extends Command<string, infer In, Outcome> ? In : never;
export type ResultOf<C> = C extends Command<string, infer _In, infer Out> ? Out | InvalidInput | Forbidden : never;
export type RefusalOf<C> = Extract<ResultOf<C>, { ok: false }>;
export type ReasonOf<C> = RefusalOf<C>['reason'];

export function defineCommand<Name extends string, In, Out extends Outcome>(command: Command<Name, In, Out>): Command<Name, In, Out> {
  return command;
}

/** Parses the raw input, checks the principal may run the command with it, then runs it. */
export async function execute<C extends AnyCommand>(
  command: C,
  db: Db,
  raw: unknown,
  principal: Principal,
  now: Date = new Date(),
): Promise<ResultOf<C>> {
  const parsed = command.input.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
      message: issue.message,
    }));
    return { ok: false, reason: 'invalid_input', fields, issues } as ResultOf<C>;
  }
  if (!command.allow(principal, parsed.data)) return { ok: false, reason: 'forbidden' } as ResultOf<C>;
  return (await command.run(db, parsed.data, { principal, actor: actorOf(principal), now })) as ResultOf<C>;
}
