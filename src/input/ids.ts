// The one parser for ids taken from outside (path parameters, form fields, callback addresses).
//
// Database ids here are PostgreSQL `integer` (serial) or `bigint` columns that never grow past `integer`'s range in
// practice; accepting only plain decimal digits up to 2,147,483,647 means "1e3", "0x10", " 7", "+7" or "7.0" are
// never read as another id, and no id can make a query fail with "out of range for type integer" (a 500).
import { z } from 'zod';

export const MAX_ID = 2_147_483_647;

/** An id written as plain decimal digits, 1 to 2,147,483,647, without sign, spaces, leading zeros or exponent. */
export function parseId(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= MAX_ID ? id : null;
}

/** The same rule as a zod schema, for forms and bodies that carry an id as text. */
export const idText = z.string().transform((raw, ctx) => {
  const id = parseId(raw);
  if (id === null) {
    ctx.addIssue({ code: 'custom', message: `must be a whole number from 1 to ${MAX_ID}` });
    return z.NEVER;
  }
  return id;
});

/** An id in a JSON body, given as a number. */
export const idNumber = z.number().int().min(1).max(MAX_ID);

/** An id from any entry point: a JSON number, or digits in a form field or a CLI flag. */
export const id = z.union([idNumber, idText]);
