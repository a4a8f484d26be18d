// The shape of a refusal catalogue: for every command in the registry, words for every reason it can refuse with.
// The compiler checks the entries against each command's closed union, so a new reason without words fails
// `astro check`.
import type { ReasonOf, RefusalOf } from '#src/commands/command.ts';
import type { COMMANDS, CommandName } from '#src/commands/registry.ts';

/** The fields as the entry point handed them to the command (unparsed: a refusal may be about them). */
export type RawFields = Readonly<Record<string, unknown>>;

export type RefusalWords<C> = {
  [R in ReasonOf<C>]: (refusal: Extract<RefusalOf<C>, { reason: R }>, raw: RawFields) => string;
};

export type RefusalCatalogue<N extends CommandName = CommandName> = { [K in N]: RefusalWords<(typeof COMMANDS)[K]> };

/** A raw field as text, for a message that names it ("line 3"). */
export function field(raw: RawFields, name: string): string {
  const value = raw[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** The commands whose refusals a customer reads: each has words in every locale, not only English. */
export type LocalisedCommandName = 'consent-to-delay' | 'customer-cancel' | 'unsubscribe-updates';
