// The open line statuses (OPEN_LINE_STATUSES) as SQL, for every statement that reads or moves open lines.
import { type SQL, sql } from 'drizzle-orm';
import { OPEN_LINE_STATUSES } from '#src/domain/line-status.ts';

// Literals, not parameters: the partial indexes on open lines (order_lines_open_check_by_idx,
// order_lines_open_sku_id_idx) serve a statement only when the planner can prove their predicate from its text, and a
// generic plan cannot see a parameter's value. The statuses are this code's own constants, never input.
const LIST = `(${OPEN_LINE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** `<column> in ('waiting', 'ready')`; `column` is a column name as written in the statement, e.g. `l.status`. */
export function openStatus(column = 'status'): SQL {
  if (!/^(?:[a-z_]+\.)?[a-z_]+$/.test(column)) throw new Error(`not a column name: ${column}`);
  return sql.raw(`${column} in ${LIST}`);
}
