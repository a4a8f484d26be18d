// Picks the catalogue for a locale and fills placeholders; unknown locales fall back to English.
import { en, type MessageKey } from './en.ts';

const catalogues: Record<string, Partial<Record<MessageKey, string>>> = { en };

export const SUPPORTED_LOCALES = Object.keys(catalogues);

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(locale: string): Translate {
  const base = locale.split('-')[0] ?? 'en';
  const catalogue = catalogues[locale] ?? catalogues[base] ?? en;
  return (key, params) => {
    const template = catalogue[key] ?? en[key];
    return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : template;
  };
}
