import { readdirSync, readFileSync } from 'node:fs';
import type { SQL } from 'drizzle-orm';
import { getTableConfig, PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { openStatus } from '#db/line-status-sql.ts';
import { orderLines } from '#db/schema/index.ts';

const dialect = new PgDialect();
const text = (q: SQL) => dialect.sqlToQuery(q).sql;
const migrations = new URL('../../db/migrations/', import.meta.url);

describe('open line statuses in SQL', () => {
  it('are the open statuses written as literals, so a partial index on open lines can serve a generic plan', () => {
    expect(dialect.sqlToQuery(openStatus())).toEqual({ sql: "status in ('waiting', 'ready')", params: [] });
    expect(text(openStatus('l.status'))).toBe("l.status in ('waiting', 'ready')");
  });

  it('take only a column name, never other SQL', () => {
    expect(() => openStatus("status in ('shipped') or status")).toThrow(/not a column name/);
  });

  it('are the predicate of every partial index on open lines, in the schema and in the migration that made it', () => {
    const open = getTableConfig(orderLines).indexes.filter((i) => i.config.name?.includes('_open_'));
    expect(open.map((i) => i.config.name).sort()).toEqual(['order_lines_open_check_by_idx', 'order_lines_open_sku_id_idx']);
    const sqlFiles = readdirSync(migrations)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    for (const index of open) {
      expect(text(index.config.where as SQL)).toBe(text(openStatus()));
      const created = sqlFiles
        .flatMap((f) => readFileSync(new URL(f, migrations), 'utf8').split('\n'))
        .filter((line) => line.startsWith(`CREATE INDEX "${index.config.name}"`))
        .at(-1);
      expect(created).toContain(`WHERE ${text(openStatus())};`);
    }
  });
});
