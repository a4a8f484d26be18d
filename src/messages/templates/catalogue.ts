// Message template strings per locale (every one of src/i18n/locales.ts) and the translator that picks and fills them.
//
// Conventions: `{name}` placeholders are filled with plain text (the HTML renderer escapes the result, never the
// template alone). Keys starting with `sms.` must use only GSM-7 characters (no curly quotes, dashes or ellipsis):
// a test checks this. Keys ending in `.one` / `.other` are plural forms chosen with Intl.PluralRules.

import type { Locale } from '#src/i18n/locales.ts';

const en = {
  // Subjects
  'subject.delay.first_notice_silence_consents': 'Order {number} is delayed: you can wait or cancel',
  'subject.delay.first_notice_express_consent': 'Action needed: order {number} is delayed',
  'subject.delay.renewed_notice': 'Action needed: order {number} is delayed again',
  'subject.cancellation_confirmed': 'Order {number}: cancellation confirmed',
  'subject.refund_sent': 'Order {number}: your refund of {amount} has been sent',
  'subject.status.ready': 'Order {number}: {item} is ready to ship',
  'subject.status.shipped': 'Order {number}: {item} has shipped',
  'subject.status.delivered': 'Order {number}: {item} has been delivered',
  'subject.status.cancelled': 'Order {number}: {item} has been cancelled',
  'subject.eta_changed': 'Order {number}: new expected ship date',
  'subject.customer_note': 'Order {number}: a message from {store}',
  'subject.order_confirmation': 'Order {number} confirmed: when your items will ship',
  'subject.more.one': '{subject} (and 1 more update)',
  'subject.more.other': '{subject} (and {count} more updates)',

  // Frame
  greeting: 'Hello {name},',
  'greeting.anonymous': 'Hello,',
  intro: 'There is news about your order {number}.',
  'intro.many': 'There are {count} updates about your order {number}.',
  'intro.confirmation': 'Thank you for your order {number}.',
  'cta.order': 'View your order',
  'cta.order.text': 'View your order: {link}',
  support: 'Questions? Write to {email}.',
  'support.phone': 'Questions? Write to {email} or call {phone}.',
  signoff: 'Kind regards,',
  'footer.order': 'This message is about your order {number} at {store}.',
  'footer.unsubscribe': 'Unsubscribe from optional order updates',
  'footer.unsubscribe.note': 'You will still receive the notices we are required to send.',
  line: '{name} (SKU {sku}, qty {quantity})',
  'date.none': 'no date yet',

  // eta_changed
  'eta.heading': 'New expected ship date',
  'eta.body': 'The expected ship date for {line} has changed.',
  'eta.new': 'New date: {eta}',
  'eta.old': 'Previously: {eta}',
  'eta.reason': 'Reason: {reason}',
  'eta.promised': 'We promised to ship it by {date}.',

  // status_changed
  'status.ready.heading': 'Ready to ship',
  'status.ready.body': 'Good news: {line} is ready to ship.',
  'status.shipped.heading': 'Shipped',
  'status.shipped.body': '{line} has shipped.',
  'status.delivered.heading': 'Delivered',
  'status.delivered.body': '{line} has been delivered.',
  'status.cancelled.heading': 'Cancelled',
  'status.cancelled.body': '{line} has been cancelled.',
  'status.tracking': 'Track your parcel',

  // customer_note
  'note.heading': 'A message from {store}',

  // delay_notice (16 CFR 435.2(b))
  'delay.heading.first': '{item} is delayed: your options',
  'delay.heading.renewed': '{item} is delayed again: your options',
  'delay.intro.first': 'We are sorry: we cannot ship {line} by {promisedBy}, the date we promised.',
  'delay.intro.renewed': 'We are sorry: {line} is delayed again.',
  'delay.revised': 'The new shipping date is {date}.',
  'delay.noDate': 'We cannot give you a new shipping date yet.',
  'delay.reason': 'Reason for the delay: {reason}',
  'delay.rights': 'You have the right to cancel this item and get a prompt, full refund of {amount}.',
  'delay.first_notice_silence_consents':
    "If we don't hear from you, we'll take it that you agree to wait until {date}. You can cancel any time before it ships for a full refund of {amount}.",
  'delay.first_notice_express_consent':
    'Because the new date is more than 30 days after the date we promised, we need your OK: unless you agree by {deadline}, we will cancel this item and refund {amount} in full.',
  'delay.first_notice_express_consent.noDate':
    'Because we cannot give a new date, we need your OK: unless you agree by {deadline}, we will cancel this item and refund {amount} in full.',
  'delay.renewed_notice':
    'We will miss the date we gave you. Unless you agree to the new delay by {deadline}, we will cancel this item and refund {amount} in full.',
  'delay.stillCancel': 'If you agree to wait, you can still cancel any time before it ships.',
  'delay.refundTime': 'If you cancel, we will send your full refund within 7 working days.',
  'delay.choose': 'Please choose:',
  'delay.consent': 'I agree to wait',
  'delay.cancel': 'Cancel this item for a full refund',
  'delay.free': 'Answering is free of charge: just click one of the links.',

  // cancellation_confirmed
  'cancellation.heading': 'Your cancellation is confirmed',
  'cancellation.body': 'We have cancelled:',
  'cancellation.reason': 'Reason: {reason}',
  'cancellation.reason.ruleLapsed':
    'We could not ship by the date you were promised or agreed to, so the law has us cancel it and refund you in full.',
  'cancellation.refund': 'We will refund {amount} in full, no later than {date}.',
  'cancellation.noCharge': 'Nothing was charged for this, so there is nothing to refund.',

  // refund_sent
  'refund.heading': 'Your refund is on its way',
  'refund.body': 'We have sent your refund of {amount}.',
  'refund.reference': 'Reference: {reference}',
  'refund.bank': 'Depending on your bank, it may take a few days to show on your statement.',

  // order_confirmation
  'confirmation.heading': 'When your items will ship',
  'confirmation.body': 'Some items of your order are not in stock yet. Here is when we expect to ship them:',
  'confirmation.line': '{line}: expected to ship {eta}; we promise to ship it by {date}',
  'confirmation.policy.while_unshipped': 'You can cancel any item that has not shipped yet and get a full refund.',
  'confirmation.policy.rule_only':
    'If we cannot ship an item by the date we promised, we will tell you, and you can then cancel it for a full refund.',
  'confirmation.orderPage': 'Your order page shows where each item stands and what you can do.',

  // SMS (GSM-7 only)
  'sms.eta_changed': '{store}: new ship date for {item} (order {number}): {eta}{more}. {link}',
  'sms.status.ready': '{store}: {item} (order {number}) is ready to ship{more}. {link}',
  'sms.status.shipped': '{store}: {item} (order {number}) has shipped{more}. {link}',
  'sms.status.delivered': '{store}: {item} (order {number}) was delivered{more}. {link}',
  'sms.status.cancelled': '{store}: {item} (order {number}) was cancelled{more}. {link}',
  'sms.customer_note': '{store}, order {number}: {text}{more} {link}',
  'sms.delay.first_notice_silence_consents': '{store}: {item} (order {number}) is delayed to {date}{more}. Wait or cancel: {link}',
  'sms.delay.first_notice_express_consent':
    '{store}: {item} (order {number}) is delayed{more}. Agree by {deadline} or we refund it: {link}',
  'sms.delay.renewed_notice': '{store}: {item} (order {number}) is delayed again{more}. Agree by {deadline} or we refund it: {link}',
  'sms.cancellation_confirmed': '{store}: order {number} cancellation confirmed, refund of {amount} by {date}{more}. {link}',
  'sms.cancellation_confirmed.noCharge': '{store}: order {number} cancellation confirmed{more}. {link}',
  'sms.refund_sent': '{store}: refund of {amount} sent for order {number}{more}. {link}',
  'sms.order_confirmation': '{store}: order {number} confirmed. {item} ships by {date}{more}. {link}',
  'sms.order_confirmation.many': '{store}: order {number} confirmed. {item} ships by {date}, all items{more}: {link}',
  'sms.more.one': ' (+1 more update)',
  'sms.more.other': ' (+{count} more updates)',
} as const;

export type TemplateKey = keyof typeof en;

const de: Record<TemplateKey, string> = {
  'subject.delay.first_notice_silence_consents': 'Bestellung {number} verzögert sich: Sie können warten oder stornieren',
  'subject.delay.first_notice_express_consent': 'Bitte antworten Sie: Bestellung {number} verzögert sich',
  'subject.delay.renewed_notice': 'Bitte antworten Sie: Bestellung {number} verzögert sich erneut',
  'subject.cancellation_confirmed': 'Bestellung {number}: Stornierung bestätigt',
  'subject.refund_sent': 'Bestellung {number}: Ihre Erstattung über {amount} ist veranlasst',
  'subject.status.ready': 'Bestellung {number}: {item} ist versandbereit',
  'subject.status.shipped': 'Bestellung {number}: {item} wurde versandt',
  'subject.status.delivered': 'Bestellung {number}: {item} wurde zugestellt',
  'subject.status.cancelled': 'Bestellung {number}: {item} wurde storniert',
  'subject.eta_changed': 'Bestellung {number}: neuer voraussichtlicher Versandtermin',
  'subject.customer_note': 'Bestellung {number}: eine Nachricht von {store}',
  'subject.order_confirmation': 'Bestellung {number} bestätigt: wann Ihre Artikel versandt werden',
  'subject.more.one': '{subject} (und 1 weitere Neuigkeit)',
  'subject.more.other': '{subject} (und {count} weitere Neuigkeiten)',

  greeting: 'Hallo {name},',
  'greeting.anonymous': 'Hallo,',
  intro: 'Es gibt Neuigkeiten zu Ihrer Bestellung {number}.',
  'intro.many': 'Es gibt {count} Neuigkeiten zu Ihrer Bestellung {number}.',
  'intro.confirmation': 'Vielen Dank für Ihre Bestellung {number}.',
  'cta.order': 'Bestellung ansehen',
  'cta.order.text': 'Ihre Bestellung ansehen: {link}',
  support: 'Fragen? Schreiben Sie uns an {email}.',
  'support.phone': 'Fragen? Schreiben Sie uns an {email} oder rufen Sie uns an unter {phone}.',
  signoff: 'Viele Grüße',
  'footer.order': 'Diese Nachricht betrifft Ihre Bestellung {number} bei {store}.',
  'footer.unsubscribe': 'Optionale Bestell-Neuigkeiten abbestellen',
  'footer.unsubscribe.note': 'Gesetzlich vorgeschriebene Mitteilungen erhalten Sie weiterhin.',
  line: '{name} (Art.-Nr. {sku}, Menge {quantity})',
  'date.none': 'noch kein Termin',

  'eta.heading': 'Neuer voraussichtlicher Versandtermin',
  'eta.body': 'Der voraussichtliche Versandtermin für {line} hat sich geändert.',
  'eta.new': 'Neuer Termin: {eta}',
  'eta.old': 'Bisher: {eta}',
  'eta.reason': 'Grund: {reason}',
  'eta.promised': 'Zugesagt hatten wir den Versand bis zum {date}.',

  'status.ready.heading': 'Versandbereit',
  'status.ready.body': 'Gute Nachricht: {line} ist versandbereit.',
  'status.shipped.heading': 'Versandt',
  'status.shipped.body': '{line} wurde versandt.',
  'status.delivered.heading': 'Zugestellt',
  'status.delivered.body': '{line} wurde zugestellt.',
  'status.cancelled.heading': 'Storniert',
  'status.cancelled.body': '{line} wurde storniert.',
  'status.tracking': 'Sendung verfolgen',

  'note.heading': 'Eine Nachricht von {store}',

  'delay.heading.first': '{item} verzögert sich: Ihre Möglichkeiten',
  'delay.heading.renewed': '{item} verzögert sich erneut: Ihre Möglichkeiten',
  'delay.intro.first': 'Es tut uns leid: Wir können {line} nicht wie zugesagt bis zum {promisedBy} versenden.',
  'delay.intro.renewed': 'Es tut uns leid: {line} verzögert sich erneut.',
  'delay.revised': 'Der neue Versandtermin ist der {date}.',
  'delay.noDate': 'Einen neuen Versandtermin können wir Ihnen leider noch nicht nennen.',
  'delay.reason': 'Grund für die Verzögerung: {reason}',
  'delay.rights': 'Sie haben das Recht, diesen Artikel zu stornieren und umgehend den vollen Betrag von {amount} zurückzuerhalten.',
  'delay.first_notice_silence_consents':
    'Wenn wir nichts von Ihnen hören, gehen wir davon aus, dass Sie einverstanden sind, bis zum {date} zu warten. Sie können jederzeit vor dem Versand stornieren und erhalten dann den vollen Betrag von {amount} zurück.',
  'delay.first_notice_express_consent':
    'Da der neue Termin mehr als 30 Tage nach dem zugesagten Termin liegt, brauchen wir Ihre Zustimmung: Wenn Sie nicht bis zum {deadline} zustimmen, stornieren wir diesen Artikel und erstatten Ihnen {amount} in voller Höhe.',
  'delay.first_notice_express_consent.noDate':
    'Da wir keinen neuen Termin nennen können, brauchen wir Ihre Zustimmung: Wenn Sie nicht bis zum {deadline} zustimmen, stornieren wir diesen Artikel und erstatten Ihnen {amount} in voller Höhe.',
  'delay.renewed_notice':
    'Wir können den Termin, den wir Ihnen genannt haben, nicht einhalten. Wenn Sie der neuen Verzögerung nicht bis zum {deadline} zustimmen, stornieren wir diesen Artikel und erstatten Ihnen {amount} in voller Höhe.',
  'delay.stillCancel': 'Auch wenn Sie zustimmen, können Sie jederzeit vor dem Versand stornieren.',
  'delay.refundTime': 'Wenn Sie stornieren, erstatten wir Ihnen den vollen Betrag innerhalb von 7 Werktagen.',
  'delay.choose': 'Bitte wählen Sie:',
  'delay.consent': 'Ich bin einverstanden zu warten',
  'delay.cancel': 'Artikel stornieren, vollen Betrag erstatten',
  'delay.free': 'Ihre Antwort ist kostenlos: Klicken Sie einfach auf einen der Links.',

  'cancellation.heading': 'Ihre Stornierung ist bestätigt',
  'cancellation.body': 'Wir haben storniert:',
  'cancellation.reason': 'Grund: {reason}',
  'cancellation.reason.ruleLapsed':
    'Wir konnten nicht bis zum zugesagten oder von Ihnen akzeptierten Termin versenden. Deshalb stornieren wir den Artikel, wie es das Gesetz verlangt, und erstatten den vollen Betrag.',
  'cancellation.refund': 'Wir erstatten Ihnen {amount} in voller Höhe, spätestens bis zum {date}.',
  'cancellation.noCharge': 'Dafür wurde Ihnen nichts berechnet, daher gibt es nichts zu erstatten.',

  'refund.heading': 'Ihre Erstattung ist unterwegs',
  'refund.body': 'Wir haben Ihnen {amount} erstattet.',
  'refund.reference': 'Referenz: {reference}',
  'refund.bank': 'Je nach Bank kann es einige Tage dauern, bis der Betrag auf Ihrem Konto erscheint.',

  'confirmation.heading': 'Wann Ihre Artikel versandt werden',
  'confirmation.body': 'Einige Artikel Ihrer Bestellung sind noch nicht vorrätig. So erwarten wir den Versand:',
  'confirmation.line': '{line}: voraussichtlicher Versand {eta}; wir sagen den Versand bis zum {date} zu',
  'confirmation.policy.while_unshipped':
    'Sie können jeden Artikel, der noch nicht versandt ist, stornieren und erhalten den vollen Betrag zurück.',
  'confirmation.policy.rule_only':
    'Wenn wir einen Artikel nicht bis zum zugesagten Termin versenden können, sagen wir es Ihnen, und Sie können ihn dann stornieren und erhalten den vollen Betrag zurück.',
  'confirmation.orderPage': 'Auf Ihrer Bestellseite sehen Sie, wie es um jeden Artikel steht und was Sie tun können.',

  'sms.eta_changed': '{store}: Neuer Versandtermin für {item} (Bestellung {number}): {eta}{more}. {link}',
  'sms.status.ready': '{store}: {item} (Bestellung {number}) ist versandbereit{more}. {link}',
  'sms.status.shipped': '{store}: {item} (Bestellung {number}) wurde versandt{more}. {link}',
  'sms.status.delivered': '{store}: {item} (Bestellung {number}) wurde zugestellt{more}. {link}',
  'sms.status.cancelled': '{store}: {item} (Bestellung {number}) wurde storniert{more}. {link}',
  'sms.customer_note': '{store}, Bestellung {number}: {text}{more} {link}',
  'sms.delay.first_notice_silence_consents':
    '{store}: {item} (Bestellung {number}) verzögert sich bis {date}{more}. Warten oder stornieren: {link}',
  'sms.delay.first_notice_express_consent':
    '{store}: {item} (Bestellung {number}) verzögert sich{more}. Bis {deadline} zustimmen, sonst Erstattung: {link}',
  'sms.delay.renewed_notice':
    '{store}: {item} (Bestellung {number}) verzögert sich erneut{more}. Bis {deadline} zustimmen, sonst Erstattung: {link}',
  'sms.cancellation_confirmed': '{store}: Stornierung von Bestellung {number} bestätigt, Erstattung von {amount} bis {date}{more}. {link}',
  'sms.cancellation_confirmed.noCharge': '{store}: Stornierung von Bestellung {number} bestätigt{more}. {link}',
  'sms.refund_sent': '{store}: Erstattung von {amount} für Bestellung {number} veranlasst{more}. {link}',
  'sms.order_confirmation': '{store}: Bestellung {number} bestätigt. {item} wird bis {date} versandt{more}. {link}',
  'sms.order_confirmation.many': '{store}: Bestellung {number} bestätigt. {item} wird bis {date} versandt, alle Artikel{more}: {link}',
  'sms.more.one': ' (+1 weitere Neuigkeit)',
  'sms.more.other': ' (+{count} weitere Neuigkeiten)',
};

// Every locale has its templates (the compiler checks), looked up by any stored locale's text.
export const templateCatalogues: Readonly<Record<string, Readonly<Record<TemplateKey, string>>>> = { en, de } satisfies Record<
  Locale,
  Record<TemplateKey, string>
>;

export type TemplateParams = Record<string, string | number>;

/** The strings of one language and the locale to format numbers and dates with. */
export type Strings = {
  /** The BCP 47 tag for `<html lang>` and Intl formatting. */
  locale: string;
  t: (key: TemplateKey, params?: TemplateParams) => string;
  /** Picks `${key}.one` / `${key}.other` by Intl.PluralRules and fills `{count}`. */
  plural: (key: 'subject.more' | 'sms.more', count: number, params?: TemplateParams) => string;
};

function canonicalLocale(locale: string): string | null {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? null;
  } catch {
    return null;
  }
}

function fill(template: string, params: TemplateParams | undefined): string {
  if (!params) return template;
  // One pass: a value that itself contains `{x}` is never expanded again.
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : m));
}

/**
 * The catalogue for `locale` (exact tag, then its language, then English). Formatting uses the customer's full
 * locale when its language has a catalogue (en-GB dates for en-GB), and the catalogue's language otherwise, so a
 * message never mixes an English sentence with, say, French dates.
 */
export function stringsFor(locale: string): Strings {
  // Built once per locale: Intl's constructors cost more than rendering a whole SMS (the dispatch bench renders
  // thousands of messages a second in a handful of locales).
  let strings = stringsByLocale.get(locale);
  if (!strings) {
    strings = buildStrings(locale);
    stringsByLocale.set(locale, strings);
  }
  return strings;
}

const stringsByLocale = new Map<string, Strings>();

function buildStrings(locale: string): Strings {
  const tag = canonicalLocale(locale);
  const language = tag?.split('-')[0]?.toLowerCase() ?? 'en';
  const hit = tag !== null && Object.hasOwn(templateCatalogues, tag) ? tag : Object.hasOwn(templateCatalogues, language) ? language : null;
  const catalogue = templateCatalogues[hit ?? 'en'] ?? en;
  const formatLocale = hit !== null && tag !== null ? tag : 'en';
  const rules = new Intl.PluralRules(formatLocale);
  const t = (key: TemplateKey, params?: TemplateParams) => fill(catalogue[key] ?? en[key], params);
  return {
    locale: formatLocale,
    t,
    plural: (key, count, params) => t(`${key}.${rules.select(count) === 'one' ? 'one' : 'other'}`, { ...params, count }),
  };
}
