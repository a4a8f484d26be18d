// Runs statements that repeat as named prepared statements on PGlite, their values bound by the engine (decisions 019
// and 027), and keeps every string PGlite is sent well-formed.
import { type PGlite, parse, protocol, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Queryable } from './client.ts';

const dialect = new PgDialect();
/** Prepared statements kept per instance; each holds its plan in PGlite's memory. */
const MAX_PREPARED = 64;
/** Statement texts remembered as seen once, so that only a statement that repeats is prepared. */
const MAX_SEEN = 2000;

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];
/** A statement PGlite holds under `name`: its parameters' types (to serialize values) and its result's description. */
type Prepared = { name: string; types: number[]; description: BackendMessage[] };
/**
 * What an instance has prepared (statement text → statement, least recently used first) and the next name's number.
 * It lives on the instance under a global symbol so that two copies of this module (Astro's build bundles its own,
 * decision 001) never prepare the same name twice.
 */
type Registry = { statements: Map<string, Prepared>; seen: Set<string>; next: number };
const REGISTRY = Symbol.for('porchlight.preparedStatements');
/** How the preparing client runs a statement prepared on its generic plan; see `executePrepared`. */
const RUN_GENERIC = Symbol.for('porchlight.runGeneric');

type RunGeneric = (text: string, params: unknown[]) => Promise<Results<unknown>>;

/**
 * Executes `query` and returns its rows. PGlite's query API parses and plans every statement anew, which for the SKU
 * fan-out's write (a dozen common table expressions) is about 2 ms of a 15 ms chunk. On PGlite the statement is
 * therefore prepared once and run on its generic plan, values bound by the engine. PostgreSQL and transactions
 * (which hold PGlite's one connection) take the ordinary path: their client does not prepare, postgres.js already does.
 */
export async function executePrepared<T>(q: Queryable, query: SQL): Promise<T[]> {
  const runGeneric = (q as { $client?: { [RUN_GENERIC]?: RunGeneric } }).$client?.[RUN_GENERIC];
  if (runGeneric) {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return (await runGeneric(text, params)).rows as T[];
  }
  const result = await q.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * The PGlite client drizzle is given. A top-level statement with parameters that has run before runs as a named
 * prepared statement (Parse once, then Bind and Execute), so PGlite stops planning it on every call: the order page's
 * read took 0.7 ms planned each time and 0.15 ms prepared. PostgreSQL's default plan choice applies (custom plans
 * first, a generic one once it is as good), as for every statement postgres.js sends a server. Statements inside a
 * transaction, without parameters (migrations among them) or seen once take PGlite's own path.
 *
 * Every path also gets its strings well-formed first. PGlite's message writer counts a lone low surrogate after a
 * non-ASCII character one byte short, so 'é\udc00xyz' was stored as 'é\ufffdxy'. What it stores now is what any
 * UTF-8 encoder (postgres.js's among them) makes of such a string: U+FFFD in the surrogate's place.
 */
export function preparingClient(client: PGlite): PGlite {
  const registry = registryOf(client);
  const query = (text: string, params?: unknown[], options?: QueryOptions) => queryPrepared(client, registry, text, params ?? [], options);
  const exec = (text: string, options?: QueryOptions) => client.exec(text.toWellFormed(), options);
  const transaction = <T>(callback: (tx: Transaction) => Promise<T>) => client.transaction((tx) => callback(wellFormedTransaction(tx)));
  const runGeneric: RunGeneric = (text, params) => runPrepared(client, registry, text, params, undefined, true);
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'exec') return exec;
      if (property === 'transaction') return transaction;
      if (property === RUN_GENERIC) return runGeneric;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function wellFormedTransaction(tx: Transaction): Transaction {
  const query = <T>(text: string, params?: unknown[], options?: QueryOptions) =>
    tx.query<T>(text.toWellFormed(), params?.map(wellFormed), options);
  const exec = (text: string, options?: QueryOptions) => tx.exec(text.toWellFormed(), options);
  return new Proxy(tx, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'exec') return exec;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A string (or the strings of an array) with each lone surrogate replaced by U+FFFD, as UTF-8 encoders write it. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.isWellFormed() ? value : value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  return value;
}

const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

async function queryPrepared<T>(
  client: PGlite,
  registry: Registry,
  text: string,
  params: unknown[],
  options?: QueryOptions,
): Promise<Results<T>> {
  const ordinary = () => client.query<T>(text.toWellFormed(), params.map(wellFormed), options);
  // A blob (COPY) needs PGlite's own handling around the statement.
  if (params.length === 0 || options?.blob || !PREPARABLE.test(text)) return ordinary();
  if (!registry.statements.has(text) && !registry.seen.has(text)) {
    if (registry.seen.size >= MAX_SEEN) registry.seen.clear();
    registry.seen.add(text);
    return ordinary();
  }
  return (await runPrepared(client, registry, text, params, options, false)) as Results<T>;
}

/** The instance's registry, made on first use. */
function registryOf(client: PGlite): Registry {
  const holder = client as PGlite & { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= { statements: new Map(), seen: new Set(), next: 1 };
  return holder[REGISTRY];
}

const { serialize } = protocol;
/** Sets the generic plan for what follows up to Sync: PostgreSQL chooses custom or generic when a statement is bound. */
const GENERIC_PLAN = concat([
  serialize.parse({ text: "select set_config('plan_cache_mode', 'force_generic_plan', true)" }),
  serialize.bind({}),
  serialize.execute({}),
]);
const SYNC = serialize.sync();

/**
 * Runs the statement `text` prepared, preparing it first if it is new, with `params` bound by the engine: each value
 * goes as a Bind parameter, serialized by PGlite's own serializer for the parameter's type, as `PGlite.query` does.
 * Like `PGlite.query` it waits for any transaction to end and holds PGlite's one connection while it runs; so no other
 * caller can run, prepare or drop a statement meanwhile. With `generic`, the statement runs on its generic plan:
 * planning is what this saves, and `set_config(…, true)` ends with the statement's implicit transaction.
 */
function runPrepared(
  client: PGlite,
  registry: Registry,
  text: string,
  params: unknown[],
  options: QueryOptions | undefined,
  generic: boolean,
): Promise<Results<unknown>> {
  return client._runExclusiveTransaction(() =>
    client._runExclusiveQuery(async () => {
      for (let attempt = 1; ; attempt++) {
        const statement = registry.statements.get(text) ?? (await prepare(client, registry, text));
        // Most recently used last: the oldest in the map is the one to drop.
        registry.statements.delete(text);
        registry.statements.set(text, statement);
        const values = params.map((value, i) => {
          if (value === null || value === undefined) return null;
          const type = statement.types[i] ?? 0;
          const serializer = options?.serializers?.[type] ?? client.serializers[type];
          return wellFormed(serializer ? serializer(value) : String(value)) as string;
        });
        const message = concat([
          ...(generic ? [GENERIC_PLAN] : []),
          serialize.bind({ statement: statement.name, values }),
          serialize.execute({}),
          SYNC,
        ]);
        let messages: BackendMessage[];
        try {
          messages = await client.execProtocolStream(message, { syncToFs: false });
        } catch (error) {
          // Dropped behind our back (DEALLOCATE ALL), or its result's columns changed (a migration): prepare again, once.
          const code = (error as { code?: string }).code;
          if (attempt === 1 && (code === '26000' || code === '0A000')) {
            registry.statements.delete(text);
            await client.execProtocolStream(concat([serialize.close({ type: 'S', name: statement.name }), SYNC]), { syncToFs: false });
            continue;
          }
          throw Object.assign(error as object, { query: text });
        }
        await client.syncToFs();
        const own = generic ? messages.slice(messages.findIndex((m) => m.name === 'commandComplete') + 1) : messages;
        const results = parse.parseResults([...statement.description, ...own], client.parsers, options);
        return results[results.length - 1] as Results<unknown>;
      }
    }),
  );
}

/**
 * Parses `text` as a new named statement and describes it, first closing the least recently used one when
 * `MAX_PREPARED` are kept. A text that does not parse is not kept; the caller gets PostgreSQL's error.
 */
async function prepare(client: PGlite, registry: Registry, text: string): Promise<Prepared> {
  const close: Uint8Array[] = [];
  if (registry.statements.size >= MAX_PREPARED) {
    const [oldest, evicted] = registry.statements.entries().next().value as [string, Prepared];
    registry.statements.delete(oldest);
    close.push(serialize.close({ type: 'S', name: evicted.name }));
  }
  const name = `porchlight_stmt_${registry.next++}`;
  try {
    const messages = await client.execProtocolStream(
      concat([...close, serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), SYNC]),
      { syncToFs: false },
    );
    const types = parse.parseDescribeStatementResults(messages);
    return { name, types, description: messages.filter((m) => m.name === 'rowDescription') };
  } catch (error) {
    throw Object.assign(error as object, { query: text });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
