// What an inbound SMS asks for: opt-out, opt-back-in or help, by the carrier keywords (FCC and CTIA practice).

export type SmsKeyword = 'opt_out' | 'opt_in' | 'help' | 'other';

const OPT_OUT = new Set(['stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'optout', 'opt out', 'opt-out']);
const OPT_IN = new Set(['start', 'unstop', 'yes']);
const HELP = new Set(['help', 'info']);

/** Reads the whole message as one keyword, ignoring case, spacing and trailing punctuation ("Stop." is STOP). */
export function classifySmsKeyword(body: string): SmsKeyword {
  const word = body
    .trim()
    .toLowerCase()
    .replace(/[.!\s]+$/u, '')
    .replace(/\s+/gu, ' ');
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  if (HELP.has(word)) return 'help';
  return 'other';
}
