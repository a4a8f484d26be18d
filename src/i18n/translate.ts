// Picks the catalogue for a locale and fills placeholders; unknown locales fall back to English.
import { de } from './de.ts';
import { en, type MessageKey } from './en.ts';
import type { Locale } from './locales.ts';

// Every locale has a catalogue (the compiler checks), looked up by any stored locale's text.
const catalogues: Readonly<Record<string, Partial<Record<MessageKey, string>>>> = { en, de } satisfies Record<
  Locale,
  Partial<Record<MessageKey, string>>
>;

/** The supported locale a customer's stored locale (e.g. 'de-AT') falls back to; English when none fits. */
export function supportedLocale(locale: string | null | undefined): string {
  if (!locale) return 'en';
  if (Object.hasOwn(catalogues, locale)) return locale;
  const base = locale.split('-')[0] ?? 'en';
  return Object.hasOwn(catalogues, base) ? base : 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(locale: string): Translate {
  const base = locale.split('-')[0] ?? 'en';
  const catalogue = catalogues[locale] ?? catalogues[base] ?? en;
  return (key, params) => {
    const template = catalogue[key] ?? en[key];
    return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : template;
  };
}
