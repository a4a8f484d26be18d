// Astro in server mode behind our own server.mjs (which opens the database and starts the notifier first).
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  // Staff sessions live in our own database (SPEC 5); Astro's session store stays off.
  session: false,
  // Our middleware does the same origin check, but lets signed provider callbacks through (docs/decisions/006).
  security: { checkOrigin: false },
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? '127.0.0.1' },
  vite: {
    ssr: { external: ['@electric-sql/pglite', 'postgres', '@node-rs/argon2'] },
  },
});
