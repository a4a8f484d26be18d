// The languages Porchlight speaks: the page and message catalogues must cover each, and a store offers only these.
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

/** How the console names each language. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', de: 'German (Deutsch)' };

/** The tags browsers send for each language; Astro matches Accept-Language against them exactly (astro.config.mjs). */
export const LOCALE_TAGS: Readonly<Record<Locale, readonly string[]>> = {
  en: ['en', 'en-US', 'en-GB', 'en-CA', 'en-AU', 'en-IE', 'en-NZ'],
  de: ['de', 'de-DE', 'de-AT', 'de-CH', 'de-LI', 'de-LU', 'de-BE'],
};
