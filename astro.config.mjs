// Astro in server mode behind our own server.mjs (which opens the database and starts the notifier first).
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { defineConfig } from 'astro/config';
import { LOCALE_TAGS, LOCALES } from './src/i18n/locales.ts';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  // Staff sessions live in our own database (src/auth/staff-sessions.ts); Astro's session store stays off.
  session: false,
  // Our middleware does the same origin check, but lets signed provider callbacks through (docs/decisions/006).
  // CSP: Astro sends a Content-Security-Policy header on every page, with hashes of its own scripts and styles; pages
  // use classes, never style attributes, which a hash-based policy refuses.
  // No page renders Markdown; Shiki's inline styles would break the CSP, and its warning at every build is noise.
  markdown: { syntaxHighlight: false },
  security: {
    checkOrigin: false,
    csp: { directives: ["object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"] },
  },
  // Only for Astro.preferredLocale (from Accept-Language) on pages that do not yet know the customer; addresses carry
  // no locale, so routing stays ours ('manual' adds no middleware).
  // Browsers send region codes ('de-DE') that Astro matches exactly, so each language lists its common ones.
  i18n: {
    locales: LOCALES.map((path) => ({ path, codes: [...LOCALE_TAGS[path]] })),
    defaultLocale: 'en',
    routing: 'manual',
  },
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? '127.0.0.1' },
  vite: {
    ssr: { external: ['@electric-sql/pglite', 'postgres', '@node-rs/argon2'] },
  },
});
