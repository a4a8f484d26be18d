// Runs statements that repeat with new values as server-side prepared statements on PGlite (decision 019).
import { PGlite, type QueryOptions, type Results } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Queryable } from './client.ts';

const dialect = new PgDialect();
/** Prepared statements kept per instance; each holds its plan in PGlite's memory. */
const MAX_PREPARED = 64;
/** Statement texts remembered as seen once, so that only a statement that repeats is prepared. */
const MAX_SEEN = 2000;

/**
 * What an instance has prepared: statement text → name, oldest first, and the next name's number. It lives on the
 * instance under a global symbol because Astro's build bundles its own copy of this module (as for the database
 * handle, decision 001): two copies keeping their own lists would prepare the same name twice.
 */
type Registry = { names: Map<string, Promise<string>>; seen: Set<string>; refused: Set<string>; next: number };
const REGISTRY = Symbol.for('porchlight.preparedStatements');

/**
 * Executes `query` and returns its rows. PGlite's query API parses and plans every statement anew, which for the
 * SKU fan-out's write (a dozen common table expressions) is about 2 ms of a 15 ms chunk. On PGlite the statement is
 * therefore `PREPARE`d once and run with `EXECUTE` on its generic plan. `EXECUTE` takes no
 * bind parameters, so the values go in as quoted literals (standard-conforming strings, checked once). PostgreSQL
 * and transactions (which hold PGlite's one connection) take the ordinary path; postgres.js already prepares.
 */
export async function executePrepared<T>(q: Queryable, query: SQL): Promise<T[]> {
  const client = (q as { $client?: unknown }).$client;
  if (!(client instanceof PGlite)) {
    const result = await q.execute(query);
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  }
  const { sql: text, params } = dialect.sqlToQuery(query);
  const args = literals(params);
  const registry = await registryOf(client);
  if (args === null || registry === null) return ordinary<T>(q, query);
  // The generic plan, always: planning is what this saves. PostgreSQL would otherwise keep planning each execution
  // whenever a plan for the actual values looks cheaper, so a statement run here must have one good plan for all its
  // values. `set local` ends with the statement's implicit transaction, failed or not.
  const rows = await runPrepared(
    client,
    registry,
    text,
    async (name) => ((await client.exec(`set local plan_cache_mode = force_generic_plan; execute ${name}${args}`))[1]?.rows ?? []) as T[],
  );
  return rows ?? ordinary<T>(q, query);
}

async function ordinary<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = await q.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** `(v1, v2, …)` for `EXECUTE`, empty without values; null when a value has no literal form here (bytes, dates). */
function literals(params: unknown[]): string | null {
  try {
    return params.length ? `(${params.map(literal).join(', ')})` : '';
  } catch {
    return null;
  }
}

/**
 * Runs `execute` with the name `text` is prepared under; null when PREPARE refuses the text, which is then not tried
 * again. A statement another caller evicted between our lookup and our turn on PGlite's queue is prepared again,
 * once; the entry is dropped only if it is still the one that failed.
 */
async function runPrepared<R>(client: PGlite, registry: Registry, text: string, execute: (name: string) => Promise<R>): Promise<R | null> {
  if (registry.refused.has(text)) return null;
  for (let attempt = 1; ; attempt++) {
    const entry = preparedName(client, registry, text);
    const name = await entry.catch(() => null);
    if (name === null) {
      registry.refused.add(text);
      return null;
    }
    try {
      return await execute(name);
    } catch (error) {
      if ((error as { code?: string }).code !== '26000' || attempt > 1) throw error;
      if (registry.names.get(text) === entry) registry.names.delete(text);
    }
  }
}

/**
 * The PGlite client drizzle is given: a top-level statement with parameters that has run before runs as a prepared
 * statement, so PGlite stops planning it on every call. The order page's read took 0.7 ms planned each time and 0.15
 * ms prepared. PostgreSQL's default plan choice applies (custom plans first, a generic one once it is as good), as it
 * does for every statement postgres.js sends to a server. Statements inside a transaction, statements without
 * parameters (migrations among them) and values that cannot be written as literals take PGlite's own path.
 */
export function preparingClient(client: PGlite): PGlite {
  const query = (text: string, params?: unknown[], options?: QueryOptions) => queryPrepared(client, text, params ?? [], options);
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

async function queryPrepared<T>(client: PGlite, text: string, params: unknown[], options?: QueryOptions): Promise<Results<T>> {
  if (params.length === 0 || !PREPARABLE.test(text)) return client.query<T>(text, params, options);
  const registry = await registryOf(client);
  if (registry === null || registry.refused.has(text)) return client.query<T>(text, params, options);
  if (!registry.names.has(text) && !registry.seen.has(text)) {
    if (registry.seen.size >= MAX_SEEN) registry.seen.clear();
    registry.seen.add(text);
    return client.query<T>(text, params, options);
  }
  const args = literals(params);
  if (args === null) return client.query<T>(text, params, options);
  const result = await runPrepared(client, registry, text, async (name) => (await client.exec(`execute ${name}${args}`, options))[0]);
  return (result as Results<T> | undefined) ?? client.query<T>(text, params, options);
}

/** The instance's registry; null (nothing is prepared) if strings are not standard-conforming, so quotes are not enough. */
async function registryOf(client: PGlite): Promise<Registry | null> {
  const holder = client as PGlite & { [REGISTRY]?: Registry | null };
  if (holder[REGISTRY] !== undefined) return holder[REGISTRY];
  const [setting] = (await client.query<{ standard_conforming_strings: string }>('show standard_conforming_strings')).rows;
  if (holder[REGISTRY] === undefined)
    holder[REGISTRY] =
      setting?.standard_conforming_strings === 'on' ? { names: new Map(), seen: new Set(), refused: new Set(), next: 1 } : null;
  return holder[REGISTRY];
}

/**
 * The name `text` is prepared under, preparing it (and dropping the least recently used, past `MAX_PREPARED`) when it
 * is new.
 * The registry holds the preparation itself, so callers that meet a new statement at once share one.
 */
function preparedName(client: PGlite, registry: Registry, text: string): Promise<string> {
  const known = registry.names.get(text);
  if (known) {
    // Most recently used last: the oldest in the map is the one to drop.
    registry.names.delete(text);
    registry.names.set(text, known);
    return known;
  }
  const evicted = registry.names.size >= MAX_PREPARED ? (registry.names.entries().next().value as [string, Promise<string>]) : null;
  if (evicted) registry.names.delete(evicted[0]);
  const name = `porchlight_stmt_${registry.next++}`;
  const prepared = (async () => {
    const old = evicted ? await evicted[1].catch(() => null) : null;
    // A failed deallocate costs memory only; it must not keep this statement from being prepared.
    if (old) await client.exec(`deallocate ${old}`).catch(() => undefined);
    await client.exec(`prepare ${name} as ${text}`);
    return name;
  })();
  registry.names.set(text, prepared);
  // A statement that failed to prepare is not kept: the next caller tries again and sees the error itself.
  prepared.catch(() => {
    if (registry.names.get(text) === prepared) registry.names.delete(text);
  });
  return prepared;
}

/** A value as an SQL literal of unknown type, which `EXECUTE` casts to the parameter's type like a bound value. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? "'true'" : "'false'";
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
