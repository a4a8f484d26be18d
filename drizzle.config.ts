// drizzle-kit: generates the committed SQL migrations under db/migrations from the TypeScript schema.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});
