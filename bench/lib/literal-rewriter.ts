// The PGlite client Porchlight ran on until decision 027, kept only as the "before" of bench/sql-binding.ts: a
// repeated statement is PREPAREd by its text and run as `EXECUTE name('v1', …)`, its values quoted by hand. Not for
// use anywhere else: the quoting is exactly what 027 removed (and PGlite's writer mangles some of these texts).
import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite';

const MAX_PREPARED = 64;
const MAX_SEEN = 2000;
/** The key `executePrepared` looks up on a client to run a statement on its generic plan. */
const RUN_GENERIC = Symbol.for('porchlight.runGeneric');
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

type Registry = { names: Map<string, Promise<string>>; seen: Set<string>; next: number };

export function literalRewritingClient(client: PGlite): PGlite {
  const registry: Registry = { names: new Map(), seen: new Set(), next: 1 };
  const query = async <T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> => {
    if (params.length === 0 || !PREPARABLE.test(text)) return client.query<T>(text, params, options);
    if (!registry.names.has(text) && !registry.seen.has(text)) {
      if (registry.seen.size >= MAX_SEEN) registry.seen.clear();
      registry.seen.add(text);
      return client.query<T>(text, params, options);
    }
    const args = literals(params);
    if (args === null) return client.query<T>(text, params, options);
    const name = await preparedName(client, registry, text);
    return (await client.exec(`execute ${name}${args}`, options))[0] as Results<T>;
  };
  const runGeneric = async (text: string, params: unknown[]): Promise<Results<unknown>> => {
    const args = literals(params);
    if (args === null) return client.query(text, params);
    const name = await preparedName(client, registry, text);
    const results = await client.exec(`set local plan_cache_mode = force_generic_plan; execute ${name}${args}`);
    return results[1] as Results<unknown>;
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === RUN_GENERIC) return runGeneric;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function preparedName(client: PGlite, registry: Registry, text: string): Promise<string> {
  const known = registry.names.get(text);
  if (known) {
    registry.names.delete(text);
    registry.names.set(text, known);
    return known;
  }
  const evicted = registry.names.size >= MAX_PREPARED ? (registry.names.entries().next().value as [string, Promise<string>]) : null;
  if (evicted) registry.names.delete(evicted[0]);
  const name = `bench_literal_stmt_${registry.next++}`;
  const prepared = (async () => {
    const old = evicted ? await evicted[1] : null;
    if (old) await client.exec(`deallocate ${old}`);
    await client.exec(`prepare ${name} as ${text}`);
    return name;
  })();
  registry.names.set(text, prepared);
  return prepared;
}

function literals(params: unknown[]): string | null {
  try {
    return params.length ? `(${params.map(literal).join(', ')})` : '';
  } catch {
    return null;
  }
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? "'true'" : "'false'";
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return `'${value}'`;
  }
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new TypeError('a text value cannot contain NUL');
    return `'${value.replaceAll("'", "''")}'`;
  }
  throw new TypeError(`cannot pass a ${typeof value} as a literal`);
}
