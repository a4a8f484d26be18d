// What a log may say about an error: for a database error its SQLSTATE code, the constraint and the statement's verb
// and table, never its parameters, its message or its detail (drizzle's message lists the parameters, PostgreSQL's
// message and detail quote values: "Key (email)=(…) already exists"). Other errors keep their name and message.

type Described = {
  code?: unknown;
  constraint?: unknown;
  constraint_name?: unknown;
  query?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
};

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** One line about `error` that holds no value a query was given. */
export function describeError(error: unknown): string {
  const chain: Described[] = [];
  for (let e: unknown = error; e && typeof e === 'object' && chain.length < 5; e = (e as Described).cause) chain.push(e as Described);
  const query = chain.map((e) => e.query).find((q): q is string => typeof q === 'string');
  const code = chain.map((e) => e.code).find((c): c is string => typeof c === 'string' && SQLSTATE.test(c));
  if (query !== undefined || code !== undefined) {
    const constraint = chain.map((e) => e.constraint ?? e.constraint_name).find((c): c is string => typeof c === 'string');
    return [
      `database error ${code ?? '(no code)'}`,
      query !== undefined ? `in ${statementName(query)}` : null,
      constraint ? `(constraint ${constraint})` : null,
    ]
      .filter(Boolean)
      .join(' ');
  }
  const first = chain[0];
  if (!first) return String(error).slice(0, 200);
  const message = typeof first.message === 'string' ? first.message : '';
  const name = typeof first.name === 'string' && first.name !== 'Error' ? `${first.name}: ` : '';
  return `${name}${message}`.slice(0, 500);
}

/** A statement's verb and first table: `select from "orders"`, `insert into "customers"`, `update "refunds"`. */
export function statementName(query: string): string {
  const text = query.replace(/\s+/g, ' ').trim();
  const verb =
    /^(with|select|insert|update|delete|create|alter|drop|execute|prepare|begin|commit|rollback|savepoint|release)\b/i
      .exec(text)?.[1]
      ?.toLowerCase() ?? 'statement';
  const table = /\b(?:from|into|update|join)\s+("?[\w.]+"?)/i.exec(text)?.[1];
  const name = /^execute\s+(\w+)/i.exec(text)?.[1];
  if (verb === 'execute' && name) return `execute ${name}`;
  return table ? `${verb} ${verb === 'insert' ? 'into' : verb === 'update' ? '' : 'from'} ${table}`.replace(/\s+/g, ' ') : verb;
}
