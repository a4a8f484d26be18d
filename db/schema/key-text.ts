// A text column compared byte by byte (collation "C"), for machine-made keys that are only matched, never sorted for
// people.
import { customType } from 'drizzle-orm/pg-core';

/**
 * The database's default collation (here C.UTF-8 through libc) compares text with strcoll; its unique indexes on
 * dedupe keys cost a SKU fan-out 10–30 % of each insert. "C" compares bytes, which keys like `email:123` need
 * (decision 018).
 */
export const keyText = customType<{ data: string }>({
  dataType() {
    return 'text COLLATE "C"';
  },
});
