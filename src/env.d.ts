// What the middleware (src/middleware.ts) puts on every request's `locals` for pages and endpoints to read.
declare namespace App {
  interface Locals {
    /** The process database; every route but the health checks gets it. */
    db: import('#db/client.ts').Db;
    /** The signed-in staff member on console and dev mailbox routes (none when the dev mailbox is unused). */
    staff?: import('#src/auth/staff-gate.ts').SignedInStaff;
  }
}
