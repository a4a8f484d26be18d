// The words for a command's refusal in a locale. A command a customer answers has words in every locale (checked
// by the compiler); the console's and the CLI's commands speak English only.
import type { RefusalOf } from '#src/commands/command.ts';
import type { COMMANDS, CommandName } from '#src/commands/registry.ts';
import type { Locale } from '../locales.ts';
import type { LocalisedCommandName, RawFields, RefusalCatalogue } from './catalogue.ts';
import { REFUSALS_DE } from './de.ts';
import { REFUSALS_EN } from './en.ts';

/** Every locale but English: a catalogue of the customer's commands. */
const LOCALISED: Readonly<Record<Exclude<Locale, 'en'>, RefusalCatalogue<LocalisedCommandName>>> = { de: REFUSALS_DE };

type Words = Readonly<Record<string, (refusal: unknown, raw: RawFields) => string>>;

function wordsFor(name: CommandName, locale: string): Words {
  const base = locale.split('-')[0] ?? 'en';
  const localised = Object.hasOwn(LOCALISED, base) ? LOCALISED[base as keyof typeof LOCALISED] : undefined;
  const catalogue: Partial<Record<CommandName, unknown>> = localised && Object.hasOwn(localised, name) ? localised : REFUSALS_EN;
  return catalogue[name] as Words;
}

/**
 * The sentence for a refusal. A customer's command needs the customer's locale (an unknown one reads English);
 * any other command may leave it out: the console is English.
 */
export function describeRefusal<N extends CommandName>(
  name: N,
  refusal: RefusalOf<(typeof COMMANDS)[N]>,
  raw: RawFields,
  ...locale: N extends LocalisedCommandName ? [locale: string] : [locale?: 'en']
): string {
  const words = wordsFor(name, locale[0] ?? 'en');
  return (words[refusal.reason] as (refusal: unknown, raw: RawFields) => string)(refusal, raw);
}

/** The English sentence for any command's refusal: what the API's problem details say. */
export function describeRefusalInEnglish(name: CommandName, refusal: { reason: string }, raw: RawFields): string {
  return (wordsFor(name, 'en')[refusal.reason] as (refusal: unknown, raw: RawFields) => string)(refusal, raw);
}

/**
 * Why a SKU move refused or its job failed, as staff read it on the SKU page and on the job's page. A job records the
 * move's reason, or an unexpected error's message, which is shown as it is.
 */
export function describeSkuMoveRefusal(reason: string): string {
  const words = REFUSALS_EN['move-sku-eta'];
  if (reason === 'invalid_input' || !Object.hasOwn(words, reason)) return reason;
  return describeRefusal('move-sku-eta', { ok: false, reason } as RefusalOf<(typeof COMMANDS)['move-sku-eta']>, {});
}
