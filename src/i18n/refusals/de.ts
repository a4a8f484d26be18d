// Why a command refused, in German: every command whose refusals a customer reads (the console and the CLI are
// English, en.ts). A reason without words here fails `astro check`.
import { de } from '../de.ts';
import type { RefusalCatalogue } from './catalogue.ts';

const LINK_EXPIRED = () => de['respond.expired'];
const ITEM_NOT_FOUND = () => 'Wir konnten diesen Artikel nicht finden.';
const ITEM_NOT_OPEN = () => 'Dieser Artikel wurde bereits versandt oder storniert, daher gibt es nichts zu ändern.';

export const REFUSALS_DE: RefusalCatalogue<'consent-to-delay' | 'customer-cancel' | 'unsubscribe-updates'> = {
  'consent-to-delay': {
    invalid_input: LINK_EXPIRED,
    forbidden: LINK_EXPIRED,
    not_found: ITEM_NOT_FOUND,
    not_open: ITEM_NOT_OPEN,
    nothing_to_answer: () => 'Für diesen Artikel gibt es keine Verzögerungsmitteilung zu beantworten.',
    deadline_passed: () => 'Die Frist für Ihre Zustimmung ist abgelaufen: Dieser Artikel wird storniert und in voller Höhe erstattet.',
  },
  'customer-cancel': {
    invalid_input: LINK_EXPIRED,
    forbidden: LINK_EXPIRED,
    not_found: ITEM_NOT_FOUND,
    not_open: ITEM_NOT_OPEN,
    not_allowed: () =>
      'Artikel, die im Zeitplan sind, können in diesem Shop nicht storniert werden. Wenn Sie Hilfe brauchen, schreiben Sie uns.',
  },
  'unsubscribe-updates': {
    invalid_input: () => de['unsubscribe.expired.body'],
    forbidden: () => de['unsubscribe.expired.body'],
    not_found: () => de['unsubscribe.expired.body'],
  },
};
