// The one parser for text taken from outside: forms, webhooks, callbacks, path parameters.
//
// PostgreSQL text cannot hold NUL (a query with one fails, which was a 500), and a lone UTF-16 surrogate would be
// stored as U+FFFD (a silent change). Other control characters have no place in names, numbers, e-mail addresses or
// references; multi-line fields (notes, reasons) may hold tabs and line breaks.
import { z } from 'zod';

const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_LINE_BREAKS = /[^\P{Cc}\t\n\r]/u;

/** Why `value` is not acceptable text, or null when it is. */
export function textProblem(value: string, { multiline = false }: { multiline?: boolean } = {}): string | null {
  if (!value.isWellFormed()) return 'contains an invalid character';
  if ((multiline ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL).test(value)) return 'contains a control character';
  return null;
}

/** True when `value` holds no control character (tabs and line breaks allowed when `multiline`) and no lone surrogate. */
export function isCleanText(value: string, options?: { multiline?: boolean }): boolean {
  return textProblem(value, options) === null;
}

type TextRule = { min?: number; max: number; multiline?: boolean; trim?: boolean };

/** A text field: trimmed (unless `trim: false`), `min`–`max` characters, no control characters or lone surrogates. */
export function text({ min = 0, max, multiline = false, trim = true }: TextRule) {
  const base = trim ? z.string().trim() : z.string();
  return base
    .min(min, min === 1 ? 'is required' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, { multiline });
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
