// The words for a command's refusal in a locale (English where a locale has no entry: the console is English).
import type { RefusalOf } from '#src/commands/command.ts';
import type { COMMANDS, CommandName } from '#src/commands/registry.ts';
import type { RawFields } from './catalogue.ts';
import { REFUSALS_EN } from './en.ts';

export function describeRefusal<N extends CommandName>(name: N, refusal: RefusalOf<(typeof COMMANDS)[N]>, raw: RawFields): string {
  const words = REFUSALS_EN[name] as Record<string, (refusal: unknown, raw: RawFields) => string>;
  return (words[refusal.reason] as (refusal: unknown, raw: RawFields) => string)(refusal, raw);
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
