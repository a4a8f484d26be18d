import { describe, expect, it } from 'vitest';
import { LOCALE_NAMES, LOCALE_TAGS, LOCALES } from '#src/i18n/locales.ts';
import { supportedLocale } from '#src/i18n/translate.ts';
import { templateCatalogues } from '#src/messages/templates/catalogue.ts';

describe('the languages Porchlight speaks', () => {
  it('each have page strings, message templates and a name in the console, and no other language has any', () => {
    expect(Object.keys(templateCatalogues)).toEqual([...LOCALES]);
    expect(Object.keys(LOCALE_NAMES)).toEqual([...LOCALES]);
    expect(Object.keys(LOCALE_TAGS)).toEqual([...LOCALES]);
    for (const locale of LOCALES) expect(supportedLocale(locale)).toBe(locale);
    expect(supportedLocale('fr')).toBe('en');
  });
});
