// Accessible HTML email: role="presentation" layout tables, inline styles only, and every interpolated value escaped.
import type { Block, Link, MessageContent, Section } from './content.ts';

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

// Colours checked for WCAG AA contrast: #1f2937 on white 14.7:1, #4b5563 on #f3f4f6 6.9:1, white on #1d4ed8 6.7:1.
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const TEXT = '#1f2937';
const MUTED = '#4b5563';
const ACCENT = '#1d4ed8';
const PAGE_BG = '#f3f4f6';
const STYLE = {
  p: `margin:0 0 16px;${FONT}font-size:16px;line-height:1.5;color:${TEXT};`,
  h1: `margin:0 0 24px;${FONT}font-size:22px;line-height:1.3;font-weight:700;color:${TEXT};`,
  h2: `margin:0 0 12px;${FONT}font-size:18px;line-height:1.3;font-weight:700;color:${TEXT};`,
  ul: `margin:0 0 16px;padding:0 0 0 24px;${FONT}font-size:16px;line-height:1.5;color:${TEXT};`,
  link: `color:${ACCENT};text-decoration:underline;`,
  button: `display:inline-block;padding:12px 24px;background-color:${ACCENT};color:#ffffff;${FONT}font-size:16px;font-weight:700;line-height:1.25;text-decoration:none;border-radius:6px;`,
  choice: `display:inline-block;margin:0 8px 8px 0;padding:10px 18px;background-color:#ffffff;color:${ACCENT};border:2px solid ${ACCENT};${FONT}font-size:16px;font-weight:700;line-height:1.25;text-decoration:none;border-radius:6px;`,
  section: 'padding:0 0 8px;',
  notice: `padding:20px 20px 8px;border:2px solid ${TEXT};border-radius:6px;background-color:#ffffff;`,
  footer: `margin:0 0 8px;${FONT}font-size:14px;line-height:1.5;color:${MUTED};`,
  store: `margin:0;${FONT}font-size:20px;line-height:1.3;font-weight:700;color:${TEXT};`,
} as const;

/** An `href` value. Callers only pass http(s) URLs (checked when the content is built); escaping keeps quotes out. */
function a(link: Link, style: string): string {
  return `<a href="${escapeHtml(link.url)}" style="${style}">${escapeHtml(link.label)}</a>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'p':
      return `<p style="${STYLE.p}">${escapeHtml(b.text)}</p>`;
    case 'note':
      return `<p style="${STYLE.p}">${b.text
        .split(/\r\n?|\n/)
        .map(escapeHtml)
        .join('<br>')}</p>`;
    case 'list':
      return `<ul style="${STYLE.ul}">${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'link':
      return `<p style="${STYLE.p}">${a(b.link, STYLE.link)}</p>`;
    case 'choices':
      return `<p style="${STYLE.p}">${b.links.map((l) => a(l, STYLE.choice)).join(' ')}</p>`;
  }
}

function section(s: Section): string {
  const body = `<h2 style="${STYLE.h2}">${escapeHtml(s.heading)}</h2>${s.blocks.map(block).join('')}`;
  // A nested layout cell gives the required notice a visible frame.
  const style = s.notice ? STYLE.notice : STYLE.section;
  return `<tr><td style="${style}">${body}</td></tr><tr><td style="height:16px;font-size:0;line-height:0;">&nbsp;</td></tr>`;
}

export function renderEmailHtml(c: MessageContent): string {
  const header =
    c.logo === null
      ? `<p style="${STYLE.store}">${escapeHtml(c.storeName)}</p>`
      : `<img src="${escapeHtml(c.logo.src)}" alt="${escapeHtml(c.logo.alt)}" style="display:block;max-width:200px;max-height:64px;height:auto;border:0;">`;
  const footer = [`<p style="${STYLE.footer}">${escapeHtml(c.footer)}</p>`];
  if (c.unsubscribe !== null) {
    footer.push(
      `<p style="${STYLE.footer}">${a(c.unsubscribe, `color:${MUTED};text-decoration:underline;`)}. ${escapeHtml(c.unsubscribe.note)}</p>`,
    );
  }
  const table = 'role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"';
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(c.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(c.subject)}</title>`,
    '</head>',
    `<body style="margin:0;padding:0;background-color:${PAGE_BG};">`,
    `<table ${table} style="background-color:${PAGE_BG};">`,
    '<tr><td align="center" style="padding:24px 12px;">',
    `<table ${table} style="max-width:600px;background-color:#ffffff;border-radius:8px;">`,
    `<tr><td style="padding:24px 32px;border-bottom:1px solid #e5e7eb;">${header}</td></tr>`,
    '<tr><td style="padding:32px;">',
    `<h1 style="${STYLE.h1}">${escapeHtml(c.subject)}</h1>`,
    `<p style="${STYLE.p}">${escapeHtml(c.greeting)}</p>`,
    `<p style="${STYLE.p}">${escapeHtml(c.intro)}</p>`,
    `<table ${table}>${c.sections.map(section).join('')}</table>`,
    `<p style="margin:8px 0 24px;">${a(c.cta, STYLE.button)}</p>`,
    `<p style="${STYLE.p}">${escapeHtml(c.support)}</p>`,
    `<p style="${STYLE.p}">${escapeHtml(c.signoff)}<br>${escapeHtml(c.storeName)}</p>`,
    '</td></tr>',
    '</table>',
    `<table ${table} style="max-width:600px;"><tr><td style="padding:16px 32px;">${footer.join('')}</td></tr></table>`,
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
