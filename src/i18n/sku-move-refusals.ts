// What staff read in the console when a SKU move is refused (English, like the rest of the console).
const REFUSALS: Record<string, string> = {
  not_found: 'This SKU no longer exists.',
  invalid_date: 'Enter real dates (YYYY-MM-DD).',
  from_after_to: '"From" is after "to".',
  reason_required: 'Give a reason: customers are told why.',
  date_in_past: 'The new date is already in the past.',
  no_date: 'Enter a date, or tick "no date can be given".',
};

/** The sentence for a refusal reason; anything else (an unexpected error's message) is shown as it is. */
export function describeSkuMoveRefusal(reason: string): string {
  return REFUSALS[reason] ?? reason;
}
