// Specification of the message templates (src/messages/templates): email text/HTML, SMS, locales and required notices.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { countSmsSegments } from '#src/domain/sms-segments.ts';
import { templateCatalogues } from '#src/messages/templates/catalogue.ts';
import {
  escapeHtml,
  type MessageContext,
  type MessageItem,
  renderMessage,
  renderSmsMessage,
  toGsm7,
} from '#src/messages/templates/render-message.ts';

// A realistic 60-character order link with a signed token.
const LINK = 'https://orders.meepleforge.com/o/1042?t=Xk3v9QpL2mN8rT5wZb7Q';
const CONSENT = 'https://orders.meepleforge.com/a/1042/consent?t=Qm9nUe2rT1';
const CANCEL = 'https://orders.meepleforge.com/a/1042/cancel?t=Vb8cLp4sW0';
const UNSUBSCRIBE = 'https://orders.meepleforge.com/unsubscribe?t=Hs2kD9fL3x';
const LINE = { name: 'Wingspan: Oceania Expansion', sku: 'WSP-OCE', quantity: 2 };

function ctx(items: MessageItem[], over: Partial<MessageContext> = {}, locale = 'en-US'): MessageContext {
  return {
    store: { name: 'Meeple Forge', supportEmail: 'help@meepleforge.com', supportPhone: null, logoUrl: null },
    customer: { name: 'Ada Lovelace', locale, timeZone: 'America/New_York' },
    order: { number: '1042', currency: 'USD' },
    link: LINK,
    unsubscribeUrl: UNSUBSCRIBE,
    items,
    required: false,
    ...over,
  };
}

const eta: MessageItem = {
  type: 'eta_changed',
  line: LINE,
  from: { from: '2026-03-02', to: '2026-03-06' },
  to: { from: '2026-03-14', to: '2026-03-14' },
  reason: 'Printer backlog',
  promisedBy: '2026-03-20',
};
const status = (to: 'ready' | 'shipped' | 'delivered' | 'cancelled'): MessageItem => ({
  type: 'status_changed',
  line: LINE,
  to,
  trackingUrl: to === 'shipped' ? 'https://track.example-carrier.com/1Z999' : null,
});
const note: MessageItem = { type: 'customer_note', text: 'Your promo card is packed with the order.' };
const silence: MessageItem = {
  type: 'delay_notice',
  notice: 'first_notice_silence_consents',
  line: LINE,
  promisedBy: '2026-03-01',
  revisedDate: '2026-03-21',
  reason: 'A shipping container was held at customs',
  deadline: '2026-03-21',
  consentUrl: CONSENT,
  cancelUrl: CANCEL,
  refundAmount: 11_998,
};
const express: MessageItem = {
  type: 'delay_notice',
  notice: 'first_notice_express_consent',
  line: LINE,
  promisedBy: '2026-03-01',
  revisedDate: '2026-05-15',
  reason: null,
  deadline: '2026-03-31',
  consentUrl: CONSENT,
  cancelUrl: CANCEL,
  refundAmount: 11_998,
};
const expressNoDate: MessageItem = { ...express, revisedDate: null, reason: 'The factory is closed after a flood' } as MessageItem;
const renewed: MessageItem = {
  type: 'delay_notice',
  notice: 'renewed_notice',
  line: LINE,
  promisedBy: '2026-03-01',
  revisedDate: '2026-04-30',
  reason: 'The reprint failed quality control',
  deadline: '2026-03-21',
  consentUrl: CONSENT,
  cancelUrl: CANCEL,
  refundAmount: 11_998,
};
const cancellation: MessageItem = {
  type: 'cancellation_confirmed',
  lines: [LINE, { name: 'Card Sleeves (100)', sku: 'SLV-100', quantity: 1 }],
  refundAmount: 12_797,
  refundDueBy: '2026-03-11',
  reason: 'You asked us to cancel',
};
const refund: MessageItem = { type: 'refund_sent', amount: 12_797, reference: 'RF-88231' };
const confirmation: MessageItem = {
  type: 'order_confirmation',
  lines: [
    { line: LINE, eta: { from: '2026-03-02', to: '2026-03-06' }, promisedBy: '2026-03-20' },
    { line: { name: 'Card Sleeves (100)', sku: 'SLV-100', quantity: 1 }, eta: { from: null, to: null }, promisedBy: '2026-04-01' },
  ],
  policy: 'while_unshipped',
};

/** Every item type, with text the email must contain in English and German. */
const CASES: { name: string; item: MessageItem; en: string[]; de: string[] }[] = [
  {
    name: 'eta_changed',
    item: eta,
    en: ['New expected ship date', 'Mar 14, 2026', 'Previously: Mar 2', 'Printer backlog', 'Mar 20, 2026'],
    de: ['Neuer voraussichtlicher Versandtermin', '14.03.2026', 'Bisher: 02.', 'Printer backlog', '20.03.2026'],
  },
  { name: 'status ready', item: status('ready'), en: ['is ready to ship'], de: ['ist versandbereit'] },
  {
    name: 'status shipped',
    item: status('shipped'),
    en: ['has shipped', 'Track your parcel', 'https://track.example-carrier.com/1Z999'],
    de: ['wurde versandt', 'Sendung verfolgen', 'https://track.example-carrier.com/1Z999'],
  },
  { name: 'status delivered', item: status('delivered'), en: ['has been delivered'], de: ['wurde zugestellt'] },
  { name: 'status cancelled', item: status('cancelled'), en: ['has been cancelled'], de: ['wurde storniert'] },
  {
    name: 'customer_note',
    item: note,
    en: ['A message from Meeple Forge', 'Your promo card is packed'],
    de: ['Eine Nachricht von Meeple Forge', 'Your promo card is packed'],
  },
  {
    name: 'delay_notice (first, silence consents)',
    item: silence,
    en: ["we'll take it that you agree to wait until Mar 21, 2026", '$119.98'],
    de: ['bis zum 21.03.2026 zu warten', '119,98\u00a0$'],
  },
  {
    name: 'delay_notice (first, express consent)',
    item: express,
    en: ['unless you agree by Mar 31, 2026', 'May 15, 2026'],
    de: ['Wenn Sie nicht bis zum 31.03.2026 zustimmen', '15.05.2026'],
  },
  {
    name: 'delay_notice (renewed)',
    item: renewed,
    en: ['We will miss the date we gave you', 'by Mar 21, 2026'],
    de: ['nicht einhalten', 'bis zum 21.03.2026'],
  },
  {
    name: 'cancellation_confirmed',
    item: cancellation,
    en: ['Your cancellation is confirmed', 'Card Sleeves (100)', '$127.97', 'Mar 11, 2026'],
    de: ['Ihre Stornierung ist bestätigt', 'Card Sleeves (100)', '127,97\u00a0$', '11.03.2026'],
  },
  {
    name: 'refund_sent',
    item: refund,
    en: ['Your refund is on its way', '$127.97', 'RF-88231'],
    de: ['Ihre Erstattung ist unterwegs', '127,97\u00a0$', 'RF-88231'],
  },
  {
    name: 'order_confirmation',
    item: confirmation,
    en: [
      'Thank you for your order 1042.',
      'When your items will ship',
      'Wingspan: Oceania Expansion (SKU WSP-OCE, qty 2): expected to ship Mar 2',
      'we promise to ship it by Mar 20, 2026',
      'Card Sleeves (100) (SKU SLV-100, qty 1): expected to ship no date yet; we promise to ship it by Apr 1, 2026',
      'You can cancel any item that has not shipped yet and get a full refund.',
    ],
    de: [
      'Vielen Dank für Ihre Bestellung 1042.',
      'Wann Ihre Artikel versandt werden',
      'Wingspan: Oceania Expansion (Art.-Nr. WSP-OCE, Menge 2): voraussichtlicher Versand 02.',
      'wir sagen den Versand bis zum 20.03.2026 zu',
      'Sie können jeden Artikel, der noch nicht versandt ist, stornieren',
    ],
  },
];

afterEach(() => {
  vi.useRealTimers();
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<script>alert("x" + 'y')</script> & co`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;)&lt;/script&gt; &amp; co',
    );
  });

  it('escapes an ampersand first, so an entity is shown literally, not decoded', () => {
    expect(escapeHtml('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('leaves ordinary text and numbers alone', () => {
    expect(escapeHtml('Grüße, 42 € — ok')).toBe('Grüße, 42 € — ok');
    expect(escapeHtml(7)).toBe('7');
  });
});

describe.each(['en', 'de'] as const)('each item type in %s', (lang) => {
  const locale = lang === 'en' ? 'en-US' : 'de-DE';
  it.each(CASES)('$name', (c) => {
    const m = renderMessage(ctx([c.item], {}, locale));
    for (const fragment of c[lang]) {
      expect(m.text).toContain(fragment);
      expect(m.html).toContain(escapeHtml(fragment));
    }
    expect(m.subject).toContain('1042');
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.html).toContain(`<html lang="${locale}">`);
    expect(m.html).toContain(`<title>${escapeHtml(m.subject)}</title>`);
    expect(m.text).toContain(LINK);
    expect(m.html).toContain(`href="${LINK}"`);
    expect(m.sms).toContain(LINK);
    expect(m.sms).toContain('Meeple Forge');
    // Every placeholder was filled.
    for (const out of [m.subject, m.text, m.html, m.sms]) expect(out).not.toMatch(/\{\w+\}/);
    // The language really is the customer's.
    expect(m.text).toContain(lang === 'en' ? 'Hello Ada Lovelace,' : 'Hallo Ada Lovelace,');
    expect(m.text).toContain(lang === 'en' ? 'View your order' : 'Ihre Bestellung ansehen');
    expect(m.sms).toContain(lang === 'en' ? 'order 1042' : 'Bestellung 1042');
  });
});

describe('subject', () => {
  it.each([
    [
      'delay notice beats everything',
      [note, eta, status('shipped'), refund, cancellation, express],
      'Action needed: order 1042 is delayed',
    ],
    ['cancellation beats refund', [note, refund, cancellation], 'Order 1042: cancellation confirmed'],
    ['refund beats status', [status('shipped'), refund], 'Order 1042: your refund of $127.97 has been sent'],
    ['status beats eta', [eta, status('shipped')], 'Order 1042: Wingspan: Oceania Expansion has shipped'],
    ['eta beats note', [note, eta], 'Order 1042: new expected ship date'],
    ['a note alone', [note], 'Order 1042: a message from Meeple Forge'],
  ] as const)('%s', (_, items, expected) => {
    const m = renderMessage(ctx([...items]));
    expect(m.subject.startsWith(expected)).toBe(true);
  });

  it('a long item name is shortened in the subject', () => {
    const m = renderMessage(ctx([{ ...status('shipped'), line: { ...LINE, name: `${'A'.repeat(20)} ${'B'.repeat(60)}` } } as MessageItem]));
    expect(m.subject.length).toBeLessThan(80);
    expect(m.subject).toContain('…');
  });

  it('a line break in a value never reaches the subject header', () => {
    const m = renderMessage(ctx([status('shipped')], { order: { number: '1042\r\nBcc: evil@example.com', currency: 'USD' } }));
    expect(m.subject).not.toMatch(/[\r\n]/);
  });
});

describe('a coalesced message', () => {
  const items = [eta, status('shipped'), note];

  it('mentions all three items under one subject', () => {
    const m = renderMessage(ctx(items));
    expect(m.subject).toBe('Order 1042: Wingspan: Oceania Expansion has shipped (and 2 more updates)');
    for (const out of [m.text, m.html]) {
      expect(out).toContain('has shipped');
      expect(out).toContain('New expected ship date');
      expect(out).toContain('Your promo card is packed');
    }
    expect(m.text).toContain('There are 3 updates about your order 1042.');
    expect(m.html.match(/<title>/g)).toHaveLength(1);
    expect(m.sms).toContain('(+2 more updates)');
    expect(m.sms).toContain(LINK);
  });

  it('in German, with German plural forms', () => {
    const m = renderMessage(ctx(items, {}, 'de-DE'));
    expect(m.subject).toBe('Bestellung 1042: Wingspan: Oceania Expansion wurde versandt (und 2 weitere Neuigkeiten)');
    expect(renderMessage(ctx([eta, note], {}, 'de-DE')).subject).toBe(
      'Bestellung 1042: neuer voraussichtlicher Versandtermin (und 1 weitere Neuigkeit)',
    );
    expect(m.text).toContain('Es gibt 3 Neuigkeiten zu Ihrer Bestellung 1042.');
  });

  it('lists the most important item first', () => {
    const m = renderMessage(ctx([note, eta, silence]));
    expect(m.text.indexOf('is delayed: your options')).toBeLessThan(m.text.indexOf('New expected ship date'));
    expect(m.text.indexOf('New expected ship date')).toBeLessThan(m.text.indexOf('A message from Meeple Forge'));
  });

  it('says why the law cancelled an order in the customer language, not in the English stored for staff', () => {
    const lapsed = { ...cancellation, reason: null, reasonCode: 'rule_lapsed' } as MessageItem;
    expect(renderMessage(ctx([lapsed])).text).toContain('the law has us cancel it and refund you in full');
    const de = renderMessage(ctx([lapsed], {}, 'de-DE')).text;
    expect(de).toContain('wie es das Gesetz verlangt');
    expect(de).not.toContain('Grund:');
  });

  it('refuses a message with no items', () => {
    expect(() => renderMessage(ctx([]))).toThrow(RangeError);
  });
});

describe('an SMS row renders only its SMS', () => {
  it('says exactly what the full render says in its SMS and subject, in each language', () => {
    for (const locale of ['en-US', 'de-DE']) {
      for (const items of [[eta], [eta, status('shipped'), note], [silence]]) {
        const full = renderMessage(ctx(items, {}, locale));
        expect(renderSmsMessage(ctx(items, {}, locale))).toEqual({
          subject: full.subject,
          sms: full.sms,
          smsSegments: full.smsSegments,
          smsEncoding: full.smsEncoding,
        });
      }
    }
  });

  it('refuses what the full render refuses', () => {
    expect(() => renderSmsMessage(ctx([]))).toThrow(RangeError);
    expect(() => renderSmsMessage(ctx([note], { link: 'javascript:alert(1)' }))).toThrow(RangeError);
    // 16 CFR 435.2(a)(3): a notice with no revised date must say why.
    const noDateNoReason = { ...expressNoDate, reason: null } as MessageItem;
    expect(() => renderMessage(ctx([noDateNoReason]))).toThrow(RangeError);
    expect(() => renderSmsMessage(ctx([noDateNoReason]))).toThrow(RangeError);
  });
});

describe('delay option notices (16 CFR 435.2(b))', () => {
  const notices = [
    ['first, silence consents', silence, 'Mar 21, 2026', 'Mar 21, 2026'],
    ['first, express consent', express, 'May 15, 2026', 'Mar 31, 2026'],
    ['first, express consent, no date', expressNoDate, 'The factory is closed after a flood', 'Mar 31, 2026'],
    ['renewed', renewed, 'Apr 30, 2026', 'Mar 21, 2026'],
  ] as const;

  it.each(notices)(
    '%s: both links, the date or reason, the deadline, the refund, and no unsubscribe',
    (_, item, dateOrReason, deadline) => {
      // Even when the caller forgot to flag it required and passed an unsubscribe link.
      const m = renderMessage(ctx([item], { required: false, unsubscribeUrl: UNSUBSCRIBE }));
      for (const out of [m.text, m.html]) {
        expect(out).toContain(CONSENT);
        expect(out).toContain(CANCEL);
        expect(out).toContain(dateOrReason);
        expect(out).toContain(deadline);
        expect(out).toContain('$119.98');
        expect(out).toContain('free of charge');
        expect(out).toContain('prompt, full refund');
        expect(out).not.toContain(UNSUBSCRIBE);
        expect(out.toLowerCase()).not.toContain('unsubscribe');
      }
      expect(m.html).toContain(`href="${CONSENT}"`);
      expect(m.html).toContain(`href="${CANCEL}"`);
      expect(m.html).toContain('>I agree to wait</a>');
      expect(m.html).toContain('>Cancel this item for a full refund</a>');
    },
  );

  it('first notice, silence consents: silence means agreeing to wait until R, cancel any time for a full refund', () => {
    const m = renderMessage(ctx([silence]));
    expect(m.text).toContain(
      "If we don't hear from you, we'll take it that you agree to wait until Mar 21, 2026. You can cancel any time before it ships for a full refund of $119.98.",
    );
    expect(m.text).toContain('we cannot ship Wingspan: Oceania Expansion (SKU WSP-OCE, qty 2) by Mar 1, 2026, the date we promised.');
    expect(m.text).toContain('Reason for the delay: A shipping container was held at customs');
    expect(m.subject).toBe('Order 1042 is delayed: you can wait or cancel');
  });

  it('first notice, express consent: unless you agree by the deadline, we cancel and refund', () => {
    expect(renderMessage(ctx([express])).text).toContain(
      'Because the new date is more than 30 days after the date we promised, we need your OK: unless you agree by Mar 31, 2026, we will cancel this item and refund $119.98 in full.',
    );
    const noDate = renderMessage(ctx([expressNoDate])).text;
    expect(noDate).toContain('We cannot give you a new shipping date yet. Reason for the delay: The factory is closed after a flood');
    expect(noDate).toContain(
      'Because we cannot give a new date, we need your OK: unless you agree by Mar 31, 2026, we will cancel this item and refund $119.98 in full.',
    );
  });

  it('renewed notice: silence now means refusal', () => {
    const m = renderMessage(ctx([renewed]));
    expect(m.text).toContain(
      'We will miss the date we gave you. Unless you agree to the new delay by Mar 21, 2026, we will cancel this item and refund $119.98 in full.',
    );
    expect(m.text).toContain('The new shipping date is Apr 30, 2026.');
    expect(m.subject).toBe('Action needed: order 1042 is delayed again');
  });

  it('in German: the right to cancel, the date, the deadline and both links', () => {
    const m = renderMessage(ctx([express], {}, 'de-DE'));
    expect(m.text).toContain(
      'Sie haben das Recht, diesen Artikel zu stornieren und umgehend den vollen Betrag von 119,98\u00a0$ zurückzuerhalten.',
    );
    expect(m.text).toContain('Da der neue Termin mehr als 30 Tage nach dem zugesagten Termin liegt, brauchen wir Ihre Zustimmung');
    expect(m.text).toContain(`Ich bin einverstanden zu warten: ${CONSENT}`);
    expect(m.text).toContain(`Artikel stornieren, vollen Betrag erstatten: ${CANCEL}`);
    expect(m.text).toContain('Ihre Antwort ist kostenlos');
    expect(m.text).not.toContain('abbestellen');
  });

  it('a message carrying a delay notice among optional updates has no unsubscribe either', () => {
    const m = renderMessage(ctx([note, eta, renewed], { required: false }));
    expect(m.text).not.toContain(UNSUBSCRIBE);
    expect(m.html).not.toContain(UNSUBSCRIBE);
  });

  it('the SMS is a short pointer to the answer page', () => {
    expect(renderMessage(ctx([silence])).sms).toBe(
      `Meeple Forge: Wingspan: Oceania Expansion (order 1042) is delayed to Mar 21, 2026. Wait or cancel: ${LINK}`,
    );
    // Over 160 characters in full: the item name gives way, never the link.
    expect(renderMessage(ctx([express])).sms).toBe(
      `Meeple Forge: Wingspan: Oceania... (order 1042) is delayed. Agree by Mar 31, 2026 or we refund it: ${LINK}`,
    );
  });

  it('refuses notices the rule does not allow as given', () => {
    // 435.2(a)(3): "no date" needs the reason.
    expect(() => renderMessage(ctx([{ ...express, revisedDate: null, reason: '  ' } as MessageItem]))).toThrow(/435\.2\(a\)\(3\)/);
    // 435.2(b)(1)(ii): silence only consents to a definite date.
    expect(() => renderMessage(ctx([{ ...silence, revisedDate: null } as MessageItem]))).toThrow(/435\.2\(b\)\(1\)\(ii\)/);
    // (b)(3): the free way to answer must be a working link.
    expect(() => renderMessage(ctx([{ ...silence, consentUrl: 'javascript:alert(1)' } as MessageItem]))).toThrow(RangeError);
  });
});

describe('unsubscribe from optional updates', () => {
  it('an optional update links to the unsubscribe page', () => {
    const m = renderMessage(ctx([status('shipped')], { required: false }));
    expect(m.text).toContain(`Unsubscribe from optional order updates: ${UNSUBSCRIBE}`);
    expect(m.html).toContain(`href="${UNSUBSCRIBE}"`);
    expect(renderMessage(ctx([status('shipped')], {}, 'de-DE')).text).toContain(
      `Optionale Bestell-Neuigkeiten abbestellen: ${UNSUBSCRIBE}`,
    );
  });

  it('a required message never does, nor one without a link', () => {
    for (const m of [
      renderMessage(ctx([cancellation], { required: true })),
      renderMessage(ctx([status('shipped')], { required: false, unsubscribeUrl: null })),
    ]) {
      expect(m.text).not.toContain(UNSUBSCRIBE);
      expect(m.html.toLowerCase()).not.toContain('unsubscribe');
    }
  });
});

describe('HTML email', () => {
  const hostile = `<script>alert("pwned")</script> Tom & Jerry's "Best" <b>Box</b>`;

  it('escapes a hostile item name, note, store name and customer name', () => {
    const m = renderMessage(
      ctx(
        [
          { ...status('shipped'), line: { ...LINE, name: hostile } } as MessageItem,
          { type: 'customer_note', text: `${hostile}\nline two` },
        ],
        {
          store: { name: `Evil <img src=x onerror=alert(1)> & "Co"`, supportEmail: 'a@b.test', supportPhone: null, logoUrl: null },
          customer: { name: '<svg onload=alert(1)>', locale: 'en', timeZone: 'UTC' },
        },
      ),
    );
    expect(m.html).not.toContain('<script');
    expect(m.html).not.toContain('<b>Box');
    expect(m.html).not.toContain('<img src=x');
    expect(m.html).not.toContain('<svg');
    expect(m.html).toContain(
      '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s &quot;Best&quot; &lt;b&gt;Box&lt;/b&gt;',
    );
    expect(m.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
    // The note keeps its line break as <br>, and only that.
    expect(m.html).toContain('&lt;b&gt;Box&lt;/b&gt;<br>line two');
    // The plain-text email is not HTML: it shows the text as written.
    expect(m.text).toContain(hostile);
  });

  it('never links a non-http tracking URL and escapes quotes in URLs', () => {
    const m = renderMessage(
      ctx([{ ...status('shipped'), trackingUrl: 'javascript:alert(1)' } as MessageItem], {
        store: {
          name: 'Meeple Forge',
          supportEmail: 'a@b.test',
          supportPhone: null,
          logoUrl: 'https://cdn.test/logo.png" onerror="alert(1)',
        },
      }),
    );
    expect(m.html).not.toContain('javascript:');
    expect(m.html).not.toContain('Track your parcel');
    expect(m.html).not.toContain('onerror="');
    expect(m.html).toContain('src="https://cdn.test/logo.png&quot; onerror=&quot;alert(1)"');
  });

  it('refuses an order link that is not http(s)', () => {
    expect(() => renderMessage(ctx([note], { link: 'javascript:alert(1)' }))).toThrow(RangeError);
  });

  it('is accessible: lang, a real title, presentation tables, inline styles, a labelled CTA and a logo with alt text', () => {
    const m = renderMessage(
      ctx([status('shipped')], {
        store: {
          name: 'Meeple Forge',
          supportEmail: 'help@meepleforge.com',
          supportPhone: '+1 555 0100',
          logoUrl: 'https://cdn.test/logo.png',
        },
      }),
    );
    expect(m.html.startsWith('<!DOCTYPE html>\n<html lang="en-US">')).toBe(true);
    expect(m.html).toContain('<title>Order 1042: Wingspan: Oceania Expansion has shipped</title>');
    const tables = m.html.match(/<table\b[^>]*>/g) ?? [];
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) expect(t).toContain('role="presentation"');
    expect(m.html).not.toMatch(/<style|<link|<script|class=/);
    expect(m.html).toContain('<img src="https://cdn.test/logo.png" alt="Meeple Forge"');
    expect(m.html).toMatch(
      new RegExp(
        `<a href="${LINK.replace(/[?.]/g, '\\$&')}" style="[^"]*background-color:#1d4ed8;color:#ffffff;[^"]*">View your order</a>`,
      ),
    );
    expect(m.html).toContain('<h1 ');
    expect(m.html).toContain('Questions? Write to help@meepleforge.com or call +1 555 0100.');
    // Every <img> has alt text.
    for (const img of m.html.match(/<img\b[^>]*>/g) ?? []) expect(img).toMatch(/ alt="[^"]+"/);
  });

  it('shows the store name as text when there is no logo', () => {
    const m = renderMessage(ctx([note]));
    expect(m.html).not.toContain('<img');
    expect(m.html).toMatch(/<p style="[^"]*font-size:20px[^"]*">Meeple Forge<\/p>/);
  });
});

describe('SMS', () => {
  const single = [
    ['eta_changed', eta],
    ['status ready', status('ready')],
    ['status shipped', status('shipped')],
    ['status delivered', status('delivered')],
    ['status cancelled', status('cancelled')],
    ['customer_note', note],
    ['delay, silence consents', silence],
    ['delay, express consent', express],
    ['delay, express consent, no date', expressNoDate],
    ['delay, renewed', renewed],
    ['cancellation_confirmed', cancellation],
    ['cancellation_confirmed, nothing charged', { ...cancellation, refundAmount: 0 } as MessageItem],
    ['refund_sent', refund],
    ['order_confirmation', confirmation],
    ['order_confirmation, one line', { ...confirmation, lines: confirmation.lines.slice(0, 1) } as MessageItem],
  ] as const;

  it('the test link is a realistic ~60-character https link', () => {
    expect(LINK.length).toBe(60);
  });

  it.each(single)('English %s fits one GSM-7 segment with the store name and the full link', (_, item) => {
    const m = renderMessage(ctx([item]));
    expect(m.smsEncoding).toBe('GSM-7');
    expect(m.smsSegments).toBe(1);
    expect(m.sms).toContain('Meeple Forge');
    expect(m.sms).toContain(LINK);
    expect(countSmsSegments(m.sms)).toMatchObject({ segments: m.smsSegments, encoding: m.smsEncoding });
  });

  it.each(single)('German %s stays GSM-7 (the euro sign and no-break spaces included) and at most two segments', (_, item) => {
    const m = renderMessage(ctx([item], { order: { number: '1042', currency: 'EUR' } }, 'de-DE'));
    expect(m.smsEncoding).toBe('GSM-7');
    expect(m.smsSegments).toBeLessThanOrEqual(2);
    expect(m.sms).toContain(LINK);
  });

  it('an order confirmation names the first waiting line and its promised date; the store policy reads as set', () => {
    expect(renderMessage(ctx([confirmation])).sms).toMatch(
      /^Meeple Forge: order 1042 confirmed\. Wingspan.* ships by Mar 20, 2026, all items: https/,
    );
    const ruleOnly = renderMessage(ctx([{ ...confirmation, policy: 'rule_only' } as MessageItem], {}, 'de-DE'));
    expect(ruleOnly.text).toContain('Wenn wir einen Artikel nicht bis zum zugesagten Termin versenden können');
    expect(ruleOnly.sms).toMatch(
      /^Meeple Forge: Bestellung 1042 bestätigt\. Wingspan.* wird bis 20\.03\.2026 versandt, alle Artikel: https/,
    );
  });

  it('the common German single-item cases fit one segment', () => {
    for (const item of [eta, status('shipped'), status('delivered'), silence, refund]) {
      expect(renderMessage(ctx([item], { order: { number: '1042', currency: 'EUR' } }, 'de-DE')).smsSegments).toBe(1);
    }
  });

  it('a long item name is truncated to keep one segment; the link never is', () => {
    const long = { ...LINE, name: 'Twilight Imperium: Fourth Edition Prophecy of Kings Expansion Deluxe Collector Bundle' };
    for (const item of [
      { ...status('shipped'), line: long },
      { ...express, line: long },
      { ...eta, line: long },
    ] as MessageItem[]) {
      const m = renderMessage(ctx([item]));
      expect(m.smsSegments).toBe(1);
      expect(m.sms).toContain('Twilight Imperium');
      expect(m.sms).toContain('...');
      expect(m.sms.endsWith(LINK)).toBe(true);
    }
  });

  it('a long link is kept whole even when the message cannot fit one segment', () => {
    const link = `https://orders.meepleforge.com/o/1042?t=${'x'.repeat(150)}`;
    const m = renderMessage(ctx([status('shipped')], { link }));
    expect(m.sms.endsWith(link)).toBe(true);
    expect(m.smsSegments).toBe(2);
  });

  it('a long note is shortened', () => {
    const m = renderMessage(ctx([{ type: 'customer_note', text: 'We are so sorry. '.repeat(20) }]));
    expect(m.smsSegments).toBe(1);
    expect(m.sms).toContain('...');
    expect(m.sms.endsWith(LINK)).toBe(true);
  });

  it('a curly quote, dash or ellipsis in a product name does not push the SMS to UCS-2', () => {
    const name = 'Kid’s “Deluxe” Set – Vol. 2…';
    const m = renderMessage(ctx([{ ...status('shipped'), line: { ...LINE, name } } as MessageItem]));
    expect(m.smsEncoding).toBe('GSM-7');
    expect(m.smsSegments).toBe(1);
    expect(m.sms).toContain(`Kid's "Deluxe" Set - Vol. 2...`);
    // The email keeps the name as written.
    expect(m.text).toContain(name);
  });

  it('a currency symbol outside GSM-7 is replaced by the currency code', () => {
    const m = renderMessage(ctx([refund], { order: { number: '1042', currency: 'INR' } }, 'en-IN'));
    expect(m.smsEncoding).toBe('GSM-7');
    expect(m.sms).toContain('INR 127.97');
  });

  it('a name in another script is kept, and honestly counted as UCS-2', () => {
    const m = renderMessage(ctx([{ ...status('shipped'), line: { ...LINE, name: 'ボードゲーム' } } as MessageItem]));
    expect(m.sms).toContain('ボードゲーム');
    expect(m.smsEncoding).toBe('UCS-2');
    expect(m.sms).toContain(LINK);
  });

  it('every SMS string in every catalogue is GSM-7', () => {
    for (const [locale, catalogue] of Object.entries(templateCatalogues)) {
      for (const [key, value] of Object.entries(catalogue)) {
        if (key.startsWith('sms.')) expect(countSmsSegments(value).encoding, `${locale} ${key}`).toBe('GSM-7');
      }
    }
  });
});

describe('toGsm7', () => {
  it('maps typographic look-alikes to plain GSM-7 characters', () => {
    expect(toGsm7('‘a’ “b” ‚c‛ – — … \u00a0x\u202fy\u2009z ×')).toBe(`'a' "b" 'c' - - ...  x y z x`);
  });

  it('drops accents outside GSM-7 but keeps those inside it', () => {
    expect(toGsm7('façade crème Ålesund naïve ÄÖÜäöüß é ł')).toBe('facade crème Ålesund naive ÄÖÜäöüß é ł');
  });

  it('keeps characters with no stand-in', () => {
    expect(toGsm7('Привет 😀')).toBe('Привет 😀');
  });
});

describe('catalogues and locales', () => {
  it('German is complete and uses the same placeholders as English', () => {
    const { en, de } = templateCatalogues as Record<string, Record<string, string>>;
    expect(Object.keys(de!).sort()).toEqual(Object.keys(en!).sort());
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en!)) expect(placeholders(de![key]!), key).toEqual(placeholders(en![key]!));
  });

  it('a regional German locale uses the German catalogue and its own formats', () => {
    const m = renderMessage(ctx([refund], { order: { number: '1042', currency: 'EUR' } }, 'de-AT'));
    expect(m.html).toContain('<html lang="de-AT">');
    expect(m.subject).toContain('Bestellung 1042');
  });

  it('an unsupported or invalid locale falls back to English throughout (no English sentence with foreign dates)', () => {
    for (const locale of ['fr-FR', 'not a locale!']) {
      const m = renderMessage(ctx([eta], {}, locale));
      expect(m.html).toContain('<html lang="en">');
      expect(m.text).toContain('New date: Mar 14, 2026');
    }
  });

  it('a null ETA window reads as "no date yet" in the locale', () => {
    const item = { ...eta, to: { from: null, to: null } } as MessageItem;
    expect(renderMessage(ctx([item])).text).toContain('New date: no date yet');
    expect(renderMessage(ctx([item], {}, 'de-DE')).text).toContain('Neuer Termin: noch kein Termin');
  });

  it('a cancellation with nothing charged says there is nothing to refund', () => {
    const m = renderMessage(ctx([{ ...cancellation, refundAmount: 0 } as MessageItem]));
    expect(m.text).toContain('Nothing was charged for this, so there is nothing to refund.');
    expect(m.text).not.toContain('$0.00');
  });
});

describe('determinism', () => {
  it('the same input renders byte-identical output, whatever the clock says', () => {
    const input = ctx([note, eta, express, status('shipped'), refund, cancellation]);
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const first = renderMessage(structuredClone(input));
    vi.setSystemTime(new Date('2031-07-15T13:37:00Z'));
    const second = renderMessage(structuredClone(input));
    expect(second).toEqual(first);
  });

  it('does not modify its input', () => {
    const input = ctx([eta, silence]);
    const copy = structuredClone(input);
    renderMessage(input);
    expect(input).toEqual(copy);
  });
});
