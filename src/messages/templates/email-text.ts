// Plain-text email body: the same content as the HTML email, with every link written out in full.
import type { Block, MessageContent } from './content.ts';

function block(b: Block): string {
  switch (b.kind) {
    case 'p':
      return b.text;
    case 'note':
      return b.text.replace(/\r\n?/g, '\n');
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'link':
      return `${b.link.label}: ${b.link.url}`;
    case 'choices':
      return b.links.map((l) => `- ${l.label}: ${l.url}`).join('\n');
  }
}

export function renderEmailText(c: MessageContent): string {
  const parts: string[] = [c.greeting, c.intro];
  for (const section of c.sections) {
    const rule = section.notice ? '=' : '-';
    parts.push(
      `${section.heading}\n${rule.repeat(Math.min(60, [...section.heading].length))}\n\n${section.blocks.map(block).join('\n\n')}`,
    );
  }
  parts.push(c.ctaText, c.support, `${c.signoff}\n${c.storeName}`);
  const footer = [c.footer];
  if (c.unsubscribe !== null) footer.push(`${c.unsubscribe.label}: ${c.unsubscribe.url}`, c.unsubscribe.note);
  parts.push(`--\n${footer.join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}
