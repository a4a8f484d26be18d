import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeError, statementName } from '#src/observability/error-summary.ts';

/** What drizzle throws for a failed query: its message lists every parameter; the driver's error is the cause. */
function drizzleError(query: string, params: unknown[], cause: Record<string, unknown>) {
  const error = new Error(`Failed query: ${query}\nparams: ${params}`) as Error & { query: string; params: unknown[] };
  error.query = query;
  error.params = params;
  error.cause = Object.assign(new Error(String(cause.message ?? 'error')), cause);
  return error;
}

describe('what a log may say about an error', () => {
  it('says code, statement and constraint of a failed query, never its values, message or detail', () => {
    const error = drizzleError('insert into "customers" ("email", "phone") values ($1, $2)', ['ava@example.com', '+15555550123'], {
      code: '23505',
      constraint: 'customers_email_key',
      message: 'duplicate key value violates unique constraint "customers_email_key"',
      detail: 'Key (email)=(ava@example.com) already exists.',
    });
    expect(describeError(error)).toBe('database error 23505 in insert into "customers" (constraint customers_email_key)');
  });

  it('keeps out any parameter value, whatever it is', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, unit: 'grapheme' }), fc.constantFrom('22P02', '22021', '42P01', '40001'), (value, code) => {
        const error = drizzleError('select "id" from "orders" where "number" = $1', [value], {
          code,
          message: `invalid input: "${value}"`,
        });
        const line = describeError(error);
        expect(line).toBe(`database error ${code} in select from "orders"`);
      }),
    );
  });

  it('names statements by verb and table, and prepared ones by name', () => {
    expect(statementName('select "a" from "orders" o join "customers" c on true')).toBe('select from "orders"');
    expect(statementName('update "refunds" set "status" = $1')).toBe('update "refunds"');
    expect(statementName('delete from rate_limits where key = $1')).toBe('delete from rate_limits');
    expect(statementName("execute pl_12(1, 'x')")).toBe('execute pl_12');
    expect(statementName('begin')).toBe('begin');
  });

  it('other errors keep their name and message', () => {
    expect(describeError(new TypeError('fetch failed'))).toBe('TypeError: fetch failed');
    expect(describeError(new Error('The data folder is locked'))).toBe('The data folder is locked');
  });
});
