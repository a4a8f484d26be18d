// Runs a statement that repeats with new values as a server-side prepared statement on PGlite (decision 019).
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { type Queryable, rowsOf } from './client.ts';

const dialect = new PgDialect();
/** Per PGlite instance: statement text → the name it was prepared under, oldest first. */
const preparedBy = new WeakMap<PGlite, Map<string, string>>();
/** Prepared statements kept per instance; each holds its plan in PGlite's memory. */
const MAX_PREPARED = 8;
let counter = 0;

/**
 * Executes `query` and returns its rows. PGlite's query API parses and plans every statement anew, which for the
 * SKU fan-out's write (a dozen common table expressions) is about 2 ms of a 15 ms chunk. On PGlite the statement is
 * therefore `PREPARE`d once and run with `EXECUTE` on its generic plan. `EXECUTE` takes no
 * bind parameters, so the values go in as quoted literals (standard-conforming strings, checked once). PostgreSQL
 * and transactions (which hold PGlite's one connection) take the ordinary path; postgres.js already prepares.
 */
export async function executePrepared<T>(q: Queryable, query: SQL): Promise<T[]> {
  const client = (q as { $client?: unknown }).$client;
  if (!(client instanceof PGlite)) return rowsOf<T>(await q.execute(query));
  const { sql: text, params } = dialect.sqlToQuery(query);
  let statements = preparedBy.get(client);
  if (!statements) {
    const [setting] = (await client.query<{ standard_conforming_strings: string }>('show standard_conforming_strings')).rows;
    if (setting?.standard_conforming_strings !== 'on') throw new Error('executePrepared needs standard_conforming_strings = on');
    statements = new Map();
    preparedBy.set(client, statements);
  }
  let name = statements.get(text);
  if (!name) {
    if (statements.size >= MAX_PREPARED) {
      const [oldestText, oldest] = statements.entries().next().value as [string, string];
      statements.delete(oldestText);
      await client.exec(`deallocate ${oldest}`);
    }
    name = `porchlight_stmt_${++counter}`;
    await client.exec(`prepare ${name} as ${text}`);
    statements.set(text, name);
  }
  const args = params.length ? `(${params.map(literal).join(', ')})` : '';
  // The generic plan, always: planning is what this saves. PostgreSQL would otherwise keep planning each execution
  // whenever a plan for the actual values looks cheaper, so a statement run here must have one good plan for all its
  // values. `set local` ends with the statement's implicit transaction, failed or not.
  const results = await client.exec(`set local plan_cache_mode = force_generic_plan; execute ${name}${args}`);
  return (results[1]?.rows ?? []) as T[];
}

/** A value as an SQL literal of unknown type, which `EXECUTE` casts to the parameter's type like a bound value. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return `'${value}'`;
  }
  if (typeof value === 'string') {
    // PostgreSQL text cannot hold NUL; with standard-conforming strings a doubled quote is the only escape.
    if (value.includes('\0')) throw new TypeError('a text value cannot contain NUL');
    return `'${value.replaceAll("'", "''")}'`;
  }
  throw new TypeError(`cannot pass a ${typeof value} as a literal`);
}
