// What a message says, independent of format: the primary item, the subject and a block model the email renderers serialise.
import { formatCalendarDate, formatCalendarRange, formatMoney } from '#src/i18n/format.ts';
import { type Strings, stringsFor } from './catalogue.ts';
import type { EtaWindow, MessageContext, MessageItem, MessageItemType, MessageLine } from './types.ts';

/** Most important first: the subject (and the SMS) follow the most important item of a coalesced message. */
export const ITEM_PRIORITY: readonly MessageItemType[] = [
  'delay_notice',
  'cancellation_confirmed',
  'refund_sent',
  'status_changed',
  'eta_changed',
  'customer_note',
  'order_confirmation',
];

export type Link = { label: string; url: string };

export type Block =
  | { kind: 'p'; text: string }
  /** Plain text that may contain line breaks (a note written by staff). */
  | { kind: 'note'; text: string }
  | { kind: 'list'; items: string[] }
  /** A paragraph that is a link (e.g. parcel tracking). */
  | { kind: 'link'; link: Link }
  /** Buttons offering a choice (the delay notice's answers), shown equally prominent. */
  | { kind: 'choices'; links: Link[] };

export type Section = {
  heading: string;
  blocks: Block[];
  /** A legally required notice: rendered boxed so it stands out (clearly and conspicuously, 435.2(b)(1)). */
  notice: boolean;
};

export type MessageContent = {
  lang: string;
  subject: string;
  storeName: string;
  logo: { src: string; alt: string } | null;
  greeting: string;
  intro: string;
  sections: Section[];
  cta: Link;
  ctaText: string;
  support: string;
  signoff: string;
  footer: string;
  /** Only for optional updates; always null when the message is required. */
  unsubscribe: (Link & { note: string }) | null;
};

/** The URL itself, unaltered, when it is an absolute http(s) URL; null otherwise (javascript:, data:, relative...). */
export function httpUrl(url: string | null | undefined): string | null {
  if (typeof url !== 'string' || url.trim() !== url || url === '') return null;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** A link the message cannot do without (the order page, the answer links of a legal notice). */
export function requireHttpUrl(url: string, what: string): string {
  const ok = httpUrl(url);
  if (ok === null) throw new RangeError(`${what} must be an absolute http(s) URL: ${JSON.stringify(url)}`);
  return ok;
}

/** Whitespace (including line breaks and other control characters) collapsed to single spaces, trimmed. */
export function oneLine(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed here
  return s.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** At most `max` code points, cut at a word boundary when one is near, with `ellipsis` appended when cut. */
export function truncate(s: string, max: number, ellipsis: string): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  const room = Math.max(1, max - [...ellipsis].length);
  let cut = chars.slice(0, room).join('');
  const space = cut.lastIndexOf(' ');
  if (space >= room * 0.6) cut = cut.slice(0, space);
  // No dangling separator before the ellipsis ("Wingspan:..." reads as "Wingspan...").
  return `${cut.replace(/[\s:;,.\-–—/&+]+$/u, '') || cut}${ellipsis}`;
}

/** The item that decides the subject: highest priority, the first one on a tie. */
export function primaryItem(items: readonly MessageItem[]): MessageItem {
  let best: MessageItem | undefined;
  for (const item of items) {
    if (best === undefined || ITEM_PRIORITY.indexOf(item.type) < ITEM_PRIORITY.indexOf(best.type)) best = item;
  }
  if (best === undefined) throw new RangeError('A message needs at least one item');
  return best;
}

/** Required notices never carry an unsubscribe link; a message with a delay notice is always required. */
export function isRequired(ctx: MessageContext): boolean {
  return ctx.required || ctx.items.some((i) => i.type === 'delay_notice');
}

/** Rejects delay notices the rule does not allow to be sent as given. */
export function assertValidItem(item: MessageItem): void {
  if (item.type !== 'delay_notice') return;
  requireHttpUrl(item.consentUrl, 'consentUrl');
  requireHttpUrl(item.cancelUrl, 'cancelUrl');
  if (item.revisedDate === null && !item.reason?.trim()) {
    throw new RangeError('A delay notice without a revised date must give the reason for the delay (16 CFR 435.2(a)(3))');
  }
  if (item.notice === 'first_notice_silence_consents' && item.revisedDate === null) {
    throw new RangeError('Silence can only consent to a definite revised date (16 CFR 435.2(b)(1)(ii))');
  }
}

/** Formatting helpers bound to one message's locale and currency. */
export type Formatter = {
  s: Strings;
  money: (minor: number) => string;
  date: (d: string) => string;
  window: (w: EtaWindow) => string;
  line: (l: MessageLine) => string;
};

export function formatterFor(ctx: MessageContext): Formatter {
  const s = stringsFor(ctx.customer.locale);
  const { locale } = s;
  return {
    s,
    money: (minor) => formatMoney(minor, ctx.order.currency, locale),
    date: (d) => formatCalendarDate(d, locale),
    window: (w) => formatCalendarRange(w.from, w.to, locale) ?? s.t('date.none'),
    line: (l) => s.t('line', { name: oneLine(l.name), sku: oneLine(l.sku), quantity: l.quantity }),
  };
}

const SUBJECT_ITEM_MAX = 40;

export function subjectFor(ctx: MessageContext, f: Formatter): string {
  const { t } = f.s;
  const item = primaryItem(ctx.items);
  const number = oneLine(ctx.order.number);
  let subject: string;
  switch (item.type) {
    case 'delay_notice':
      subject = t(`subject.delay.${item.notice}`, { number });
      break;
    case 'cancellation_confirmed':
      subject = t('subject.cancellation_confirmed', { number });
      break;
    case 'refund_sent':
      subject = t('subject.refund_sent', { number, amount: f.money(item.amount) });
      break;
    case 'status_changed':
      subject = t(`subject.status.${item.to}`, { number, item: truncate(oneLine(item.line.name), SUBJECT_ITEM_MAX, '…') });
      break;
    case 'eta_changed':
      subject = t('subject.eta_changed', { number });
      break;
    case 'customer_note':
      subject = t('subject.customer_note', { number, store: oneLine(ctx.store.name) });
      break;
    case 'order_confirmation':
      subject = t('subject.order_confirmation', { number });
      break;
  }
  const others = ctx.items.length - 1;
  // A subject is a header: never a line break in it.
  return oneLine(others > 0 ? f.s.plural('subject.more', others, { subject }) : subject);
}

function sectionFor(item: MessageItem, ctx: MessageContext, f: Formatter): Section {
  const { t } = f.s;
  switch (item.type) {
    case 'eta_changed': {
      const blocks: Block[] = [
        { kind: 'p', text: t('eta.body', { line: f.line(item.line) }) },
        { kind: 'list', items: [t('eta.new', { eta: f.window(item.to) }), t('eta.old', { eta: f.window(item.from) })] },
      ];
      if (item.reason?.trim()) blocks.push({ kind: 'p', text: t('eta.reason', { reason: item.reason.trim() }) });
      blocks.push({ kind: 'p', text: t('eta.promised', { date: f.date(item.promisedBy) }) });
      return { heading: t('eta.heading'), blocks, notice: false };
    }
    case 'status_changed': {
      const blocks: Block[] = [{ kind: 'p', text: t(`status.${item.to}.body`, { line: f.line(item.line) }) }];
      const tracking = httpUrl(item.trackingUrl);
      if (tracking !== null && item.to !== 'cancelled') blocks.push({ kind: 'link', link: { label: t('status.tracking'), url: tracking } });
      return { heading: t(`status.${item.to}.heading`), blocks, notice: false };
    }
    case 'customer_note':
      return {
        heading: t('note.heading', { store: oneLine(ctx.store.name) }),
        blocks: [{ kind: 'note', text: item.text.trim() }],
        notice: false,
      };
    case 'delay_notice': {
      // 16 CFR 435.2(b)(1)(i): the right to cancel for a prompt refund, the definite revised date or "no date" with the
      // reason, what silence means and by when, and a free way to answer ((b)(3)). Nothing else: no marketing.
      const amount = f.money(item.refundAmount);
      const deadline = f.date(item.deadline);
      const reason = item.reason?.trim() || null;
      const name = oneLine(item.line.name);
      const renewed = item.notice === 'renewed_notice';
      const blocks: Block[] = [
        {
          kind: 'p',
          text: renewed
            ? t('delay.intro.renewed', { line: f.line(item.line) })
            : t('delay.intro.first', { line: f.line(item.line), promisedBy: f.date(item.promisedBy) }),
        },
      ];
      const dateText = item.revisedDate === null ? t('delay.noDate') : t('delay.revised', { date: f.date(item.revisedDate) });
      blocks.push({ kind: 'p', text: reason === null ? dateText : `${dateText} ${t('delay.reason', { reason })}` });
      blocks.push({ kind: 'p', text: t('delay.rights', { amount }) });
      if (item.notice === 'first_notice_silence_consents') {
        // 435.2(b)(1)(ii): silence is consent up to the revised date only.
        blocks.push({
          kind: 'p',
          text: t('delay.first_notice_silence_consents', { date: f.date(item.revisedDate ?? item.deadline), amount }),
        });
      } else if (item.notice === 'first_notice_express_consent') {
        // 435.2(b)(1)(iii): cancelled unless expressly consented within 30 days of the applicable time.
        const key = item.revisedDate === null ? 'delay.first_notice_express_consent.noDate' : 'delay.first_notice_express_consent';
        blocks.push({ kind: 'p', text: t(key, { deadline, amount }) });
        blocks.push({ kind: 'p', text: t('delay.stillCancel') });
      } else {
        // 435.2(b)(2): silence is now refusal.
        blocks.push({ kind: 'p', text: t('delay.renewed_notice', { deadline, amount }) });
        blocks.push({ kind: 'p', text: t('delay.stillCancel') });
      }
      blocks.push({ kind: 'p', text: t('delay.refundTime') });
      blocks.push({ kind: 'p', text: t('delay.choose') });
      blocks.push({
        kind: 'choices',
        links: [
          { label: t('delay.consent'), url: requireHttpUrl(item.consentUrl, 'consentUrl') },
          { label: t('delay.cancel'), url: requireHttpUrl(item.cancelUrl, 'cancelUrl') },
        ],
      });
      blocks.push({ kind: 'p', text: t('delay.free') });
      return { heading: t(renewed ? 'delay.heading.renewed' : 'delay.heading.first', { item: name }), blocks, notice: true };
    }
    case 'cancellation_confirmed': {
      const blocks: Block[] = [
        { kind: 'p', text: t('cancellation.body') },
        { kind: 'list', items: item.lines.map(f.line) },
      ];
      if (item.reasonCode === 'rule_lapsed') blocks.push({ kind: 'p', text: t('cancellation.reason.ruleLapsed') });
      else if (item.reason?.trim()) blocks.push({ kind: 'p', text: t('cancellation.reason', { reason: item.reason.trim() }) });
      blocks.push({
        kind: 'p',
        text:
          item.refundAmount > 0
            ? t('cancellation.refund', { amount: f.money(item.refundAmount), date: f.date(item.refundDueBy) })
            : t('cancellation.noCharge'),
      });
      return { heading: t('cancellation.heading'), blocks, notice: false };
    }
    case 'order_confirmation': {
      const blocks: Block[] = [
        { kind: 'p', text: t('confirmation.body') },
        {
          kind: 'list',
          items: item.lines.map((l) => t('confirmation.line', { line: f.line(l.line), eta: f.window(l.eta), date: f.date(l.promisedBy) })),
        },
        { kind: 'p', text: t(`confirmation.policy.${item.policy}`) },
        { kind: 'p', text: t('confirmation.orderPage') },
      ];
      return { heading: t('confirmation.heading'), blocks, notice: false };
    }
    case 'refund_sent': {
      const blocks: Block[] = [{ kind: 'p', text: t('refund.body', { amount: f.money(item.amount) }) }];
      if (item.reference?.trim()) blocks.push({ kind: 'p', text: t('refund.reference', { reference: oneLine(item.reference) }) });
      blocks.push({ kind: 'p', text: t('refund.bank') });
      return { heading: t('refund.heading'), blocks, notice: false };
    }
  }
}

/** Sections in priority order (stable: items of one type keep their order). */
function orderedItems(items: readonly MessageItem[]): MessageItem[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => ITEM_PRIORITY.indexOf(a.item.type) - ITEM_PRIORITY.indexOf(b.item.type) || a.index - b.index)
    .map(({ item }) => item);
}

export function buildContent(ctx: MessageContext, f: Formatter = formatterFor(ctx)): MessageContent {
  const { t } = f.s;
  if (ctx.items.length === 0) throw new RangeError('A message needs at least one item');
  for (const item of ctx.items) assertValidItem(item);
  const link = requireHttpUrl(ctx.link, 'link');
  const store = oneLine(ctx.store.name);
  const number = oneLine(ctx.order.number);
  const name = oneLine(ctx.customer.name);
  const logoSrc = httpUrl(ctx.store.logoUrl);
  const unsubscribeUrl = isRequired(ctx) ? null : httpUrl(ctx.unsubscribeUrl);
  const email = oneLine(ctx.store.supportEmail);
  const phone = ctx.store.supportPhone === null ? '' : oneLine(ctx.store.supportPhone);
  return {
    lang: f.s.locale,
    subject: subjectFor(ctx, f),
    storeName: store,
    logo: logoSrc === null ? null : { src: logoSrc, alt: store },
    greeting: name === '' ? t('greeting.anonymous') : t('greeting', { name }),
    intro:
      ctx.items.length > 1
        ? t('intro.many', { count: ctx.items.length, number })
        : ctx.items[0]?.type === 'order_confirmation'
          ? t('intro.confirmation', { number })
          : t('intro', { number }),
    sections: orderedItems(ctx.items).map((item) => sectionFor(item, ctx, f)),
    cta: { label: t('cta.order'), url: link },
    ctaText: t('cta.order.text', { link }),
    support: phone === '' ? t('support', { email }) : t('support.phone', { email, phone }),
    signoff: t('signoff'),
    footer: t('footer.order', { number, store }),
    unsubscribe:
      unsubscribeUrl === null ? null : { label: t('footer.unsubscribe'), url: unsubscribeUrl, note: t('footer.unsubscribe.note') },
  };
}
