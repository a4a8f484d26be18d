// Event data built in SQL, for set-based writers that insert many events in one statement (the sweep).
import { type SQL, sql } from 'drizzle-orm';
import type { EventData, EventType } from '#src/domain/events.ts';

/**
 * `jsonb_build_object` with one SQL expression per key of the type's data. Such rows cannot be validated one by one
 * in JavaScript without reading them back; instead the compiler checks the keys against the type's schema (every key,
 * no other), and the statement's column types stand for the values (decision 036).
 */
export function sqlEventData<T extends EventType>(_type: T, fields: { [K in keyof EventData<T>]-?: SQL }): SQL {
  const pairs = Object.entries(fields as Record<string, SQL>).map(([key, value]) => {
    // Keys are this code's own identifiers; a literal, since a parameter has no type for jsonb_build_object.
    if (!/^[A-Za-z]+$/.test(key)) throw new Error(`not an event data key: ${key}`);
    return sql`${sql.raw(`'${key}'`)}, ${value}`;
  });
  return sql`jsonb_build_object(${sql.join(pairs, sql`, `)})`;
}
