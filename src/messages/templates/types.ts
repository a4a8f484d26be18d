// The input (MessageContext) and output (RenderedMessage) types of the message templates.
import type { DelayNoticeKind } from '#src/domain/events.ts';
import type { SmsEncoding } from '#src/domain/sms-segments.ts';

export type { DelayNoticeKind };

/** Calendar dates 'YYYY-MM-DD' in the store's zone; null = no date. */
export type EtaWindow = { from: string | null; to: string | null };

export type MessageLine = { name: string; sku: string; quantity: number };

export type LineStatusChange = 'ready' | 'shipped' | 'delivered' | 'cancelled';

export type MessageItem =
  | { type: 'eta_changed'; line: MessageLine; from: EtaWindow; to: EtaWindow; reason: string | null; promisedBy: string }
  | { type: 'status_changed'; line: MessageLine; to: LineStatusChange; trackingUrl: string | null }
  | { type: 'customer_note'; text: string }
  /**
   * Legally required delay option notice, 16 CFR 435.2(b): fully informs of the right to cancel for a prompt full
   * refund, gives the definite revised ship date or says no date can be given with the reason, says what silence
   * means and the deadline, and offers a free way to answer (consentUrl / cancelUrl). No marketing, no unsubscribe.
   */
  | {
      type: 'delay_notice';
      notice: DelayNoticeKind;
      line: MessageLine;
      promisedBy: string;
      revisedDate: string | null;
      reason: string | null;
      deadline: string;
      consentUrl: string;
      cancelUrl: string;
      refundAmount: number;
    }
  | {
      type: 'cancellation_confirmed';
      lines: MessageLine[];
      refundAmount: number;
      refundDueBy: string;
      /** Staff's words, shown as written; `rule_lapsed` (the law cancelled it) is said in the customer's language. */
      reason: string | null;
      reasonCode?: 'rule_lapsed' | null;
    }
  | { type: 'refund_sent'; amount: number; reference: string | null }
  /**
   * A new order with lines that wait (preorder, backorder): each with its expected ship window and the date promised
   * at checkout (the applicable time T of 435.2(a)(1)), and the store's cancellation policy.
   */
  | { type: 'order_confirmation'; lines: ConfirmedLine[]; policy: CancellationPolicy };

/** A waiting line as the order confirmation states it. */
export type ConfirmedLine = { line: MessageLine; eta: EtaWindow; promisedBy: string };

/** The store's cancellation policy (`store_settings.cancellation_policy`), said in the customer's language. */
export type CancellationPolicy = 'while_unshipped' | 'rule_only';

export type MessageItemType = MessageItem['type'];

export type MessageContext = {
  store: { name: string; supportEmail: string; supportPhone: string | null; logoUrl: string | null };
  customer: { name: string; locale: string; timeZone: string };
  order: { number: string; currency: string };
  /** The order page link (carries a signed access token). Never truncated or altered. */
  link: string;
  /** Only for optional updates; never rendered for required notices. */
  unsubscribeUrl: string | null;
  /** Several changes to one order coalesce into ONE message. */
  items: MessageItem[];
  /** A notice the law requires (a message carrying a delay_notice is always treated as required). */
  required: boolean;
};

export type RenderedMessage = {
  subject: string;
  text: string;
  html: string;
  sms: string;
  smsSegments: number;
  smsEncoding: SmsEncoding;
};

/** What an SMS row needs of a message: no e-mail bodies. */
export type RenderedSms = Pick<RenderedMessage, 'subject' | 'sms' | 'smsSegments' | 'smsEncoding'>;
