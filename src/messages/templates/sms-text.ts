// SMS body: one short GSM-7 message (store name, what changed, the order link), with look-alike characters normalised.
import { countSmsSegments, GSM7_SINGLE, isGsm7Char, SmsEncoding, UCS2_SINGLE } from '#src/domain/sms-segments.ts';
import type { TemplateKey, TemplateParams } from './catalogue.ts';
import { type Formatter, oneLine, primaryItem, requireHttpUrl, truncate } from './content.ts';
import type { MessageContext } from './types.ts';

/** Typographic look-alikes and their GSM-7 stand-ins (a single one of these would switch the SMS to UCS-2). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2018': "'", // ‘
  '\u2019': "'", // ’
  '\u201a': "'", // ‚
  '\u201b': "'", // ‛
  '\u2032': "'", // ′
  '\u00b4': "'", // ´
  '`': "'",
  '\u201c': '"', // “
  '\u201d': '"', // ”
  '\u201e': '"', // „
  '\u201f': '"', // ‟
  '\u2033': '"', // ″
  '\u00ab': '"', // «
  '\u00bb': '"', // »
  '\u2039': "'", // ‹
  '\u203a': "'", // ›
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '-', // figure dash
  '\u2013': '-', // en dash
  '\u2014': '-', // em dash
  '\u2015': '-', // horizontal bar
  '\u2212': '-', // minus sign
  '\u2026': '...', // …
  '\u2022': '-', // •
  '\u00b7': '-', // ·
  '\u00d7': 'x', // ×
  '\u2122': '(TM)',
  '\u00ae': '(R)',
  '\u00a9': '(C)',
  '\u00a0': ' ', // no-break space (Intl money in many locales)
  '\u2007': ' ',
  '\u2009': ' ', // thin space (Intl date ranges)
  '\u200a': ' ',
  '\u202f': ' ', // narrow no-break space (Intl)
  '\u2002': ' ',
  '\u2003': ' ',
  '\t': ' ',
  '\u200b': '', // zero-width space
  '\u200c': '',
  '\u200d': '',
  '\u2060': '',
  '\ufeff': '',
  '\u00ad': '', // soft hyphen
};

/**
 * Text made GSM-7 where that loses nothing a reader needs: typographic quotes, dashes, ellipsis and special spaces
 * become their plain forms, and accents outside GSM-7 are dropped (ç → c). Characters with no GSM-7 stand-in
 * (other scripts, emoji) are kept, so such a text honestly counts as UCS-2 rather than turning into question marks.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (isGsm7Char(ch)) {
      out += ch;
      continue;
    }
    const mapped = LOOKALIKES[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const plain = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    out += plain !== '' && [...plain].every((c) => isGsm7Char(c) || LOOKALIKES[c] !== undefined) ? toGsm7(plain) : ch;
  }
  return out;
}

/** A field of an SMS: one line, GSM-7 where possible. */
function field(s: string): string {
  return oneLine(toGsm7(oneLine(s)));
}

/** Money in GSM-7: the locale's format when it fits (€ and $ do), else the ISO code instead of the symbol. */
function smsMoney(f: Formatter, minor: number, currency: string): string {
  const formatted = field(f.money(minor));
  if ([...formatted].every(isGsm7Char)) return formatted;
  const digits = [...formatted].filter(isGsm7Char).join('').trim();
  return `${currency} ${digits}`;
}

/** Fields that may be shortened to keep one segment, in the order they give way, with their shortest length. */
const SHRINKABLE: readonly { name: 'item' | 'text' | 'store'; min: number }[] = [
  { name: 'item', min: 16 },
  { name: 'text', min: 24 },
  { name: 'store', min: 12 },
];

function limitFor(text: string): { over: number } {
  const c = countSmsSegments(text);
  return { over: c.units - (c.encoding === SmsEncoding.Gsm7 ? GSM7_SINGLE : UCS2_SINGLE) };
}

/**
 * Fills the template and, while the text is over one segment, shortens the item name, then a note's text, then the
 * store name (each down to a floor). The link is never shortened: a message may exceed a segment rather than break it.
 */
function fitOneSegment(fill: (p: TemplateParams) => string, params: Record<string, string>): string {
  const values = { ...params };
  for (const { name, min } of SHRINKABLE) {
    const original = params[name];
    if (original === undefined) continue;
    for (;;) {
      const { over } = limitFor(fill(values));
      if (over <= 0) return fill(values);
      const current = [...(values[name] ?? '')].length;
      const target = Math.max(min, current - over);
      if (target >= current) break;
      values[name] = truncate(original, target, '...');
    }
  }
  return fill(values);
}

export function renderSms(ctx: MessageContext, f: Formatter): string {
  const { t } = f.s;
  const item = primaryItem(ctx.items);
  const link = requireHttpUrl(ctx.link, 'link');
  const others = ctx.items.length - 1;
  const base: Record<string, string> = {
    store: field(ctx.store.name),
    number: field(ctx.order.number),
    more: others > 0 ? f.s.plural('sms.more', others) : '',
  };
  const currency = ctx.order.currency;
  let key: TemplateKey;
  let params: Record<string, string>;
  switch (item.type) {
    case 'delay_notice':
      // The full notice goes by email (the legal channel); the SMS points to the answer page.
      key = `sms.delay.${item.notice}`;
      params = {
        item: field(item.line.name),
        date: item.revisedDate === null ? '' : field(f.date(item.revisedDate)),
        deadline: field(f.date(item.deadline)),
      };
      break;
    case 'cancellation_confirmed':
      key = item.refundAmount > 0 ? 'sms.cancellation_confirmed' : 'sms.cancellation_confirmed.noCharge';
      params = { amount: smsMoney(f, item.refundAmount, currency), date: field(f.date(item.refundDueBy)) };
      break;
    case 'refund_sent':
      key = 'sms.refund_sent';
      params = { amount: smsMoney(f, item.amount, currency) };
      break;
    case 'status_changed':
      key = `sms.status.${item.to}`;
      params = { item: field(item.line.name) };
      break;
    case 'eta_changed':
      key = 'sms.eta_changed';
      params = { item: field(item.line.name), eta: field(f.window(item.to)) };
      break;
    case 'customer_note':
      key = 'sms.customer_note';
      params = { text: field(item.text) };
      break;
    case 'order_confirmation': {
      // The e-mail lists every waiting line; the SMS names the first and its promised date, and links the rest.
      const first = item.lines[0];
      key = item.lines.length > 1 ? 'sms.order_confirmation.many' : 'sms.order_confirmation';
      params = { item: field(first?.line.name ?? ''), date: first ? field(f.date(first.promisedBy)) : '' };
      break;
    }
  }
  // The link is a fixed parameter, outside the values the fitting may shorten.
  return fitOneSegment((p) => t(key, { ...p, link }), { ...base, ...params });
}
