// "1 line", "7 lines": counts in the console's and the CLI's English (every noun they count takes an s).

/** `n` with its noun, singular for exactly one; a missing count reads as none. */
export function countNoun(n: number | undefined, noun: string): string {
  return `${n ?? 0} ${noun}${n === 1 ? '' : 's'}`;
}
