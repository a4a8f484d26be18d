// Entry point of the message templates: renders one coalesced message as subject, plain-text and HTML email, and SMS.
//
// Pure and deterministic: the same context always renders byte-identical output (no clock, no randomness), because
// the notifier persists the render and re-sends identical bodies under an idempotency key.
import { countSmsSegments } from '#src/domain/sms-segments.ts';
import { assertValidItem, buildContent, formatterFor, subjectFor } from './content.ts';
import { renderEmailHtml } from './email-html.ts';
import { renderEmailText } from './email-text.ts';
import { renderSms } from './sms-text.ts';
import type { MessageContext, RenderedMessage, RenderedSms } from './types.ts';

export { escapeHtml } from './email-html.ts';
export { toGsm7 } from './sms-text.ts';
export type {
  DelayNoticeKind,
  EtaWindow,
  LineStatusChange,
  MessageContext,
  MessageItem,
  MessageItemType,
  MessageLine,
  RenderedMessage,
  RenderedSms,
} from './types.ts';

/**
 * Renders `ctx`. The subject follows the most important item (delay_notice > cancellation_confirmed > refund_sent >
 * status_changed > eta_changed > customer_note); the email lists every item. Throws a RangeError for a message the
 * templates must not send: no items, a link that is not http(s), or a delay notice the rule does not allow as given.
 */
export function renderMessage(ctx: MessageContext): RenderedMessage {
  const f = formatterFor(ctx);
  const content = buildContent(ctx, f);
  const sms = renderSms(ctx, f);
  const { segments, encoding } = countSmsSegments(sms);
  return {
    subject: content.subject,
    text: renderEmailText(content),
    html: renderEmailHtml(content),
    sms,
    smsSegments: segments,
    smsEncoding: encoding,
  };
}

/**
 * Renders only what an SMS row sends: its text and, for the staff view, the subject. The e-mail bodies of a message
 * cost more to render and store than the SMS itself, and an SMS row never sends them. Refuses what `renderMessage`
 * refuses.
 */
export function renderSmsMessage(ctx: MessageContext): RenderedSms {
  if (ctx.items.length === 0) throw new RangeError('A message needs at least one item');
  for (const item of ctx.items) assertValidItem(item);
  const f = formatterFor(ctx);
  const sms = renderSms(ctx, f);
  const { segments, encoding } = countSmsSegments(sms);
  return { subject: subjectFor(ctx, f), sms, smsSegments: segments, smsEncoding: encoding };
}
