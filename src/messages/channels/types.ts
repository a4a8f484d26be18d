// The ports every message transport implements: e-mail (batched) and SMS, and the outcomes they report.
export type OutgoingEmail = {
  notificationId: number;
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
};

/** `from`: a sender number (E.164) or a Twilio Messaging Service SID (MG…). */
export type OutgoingSms = { notificationId: number; to: string; from: string; body: string; segments: number };

/** What became of one message: the worker turns it into the row's status and history. */
export type SendOutcome =
  | { kind: 'sent'; providerId: string | null }
  /** `outcomeUnknown`: the provider may have accepted it (timeout, reset, crash), so an SMS must be reconciled first. */
  | { kind: 'retry'; reason: string; retryAfterMs: number | null; outcomeUnknown: boolean }
  /** A permanent refusal; `suppress` adds the address to the suppression list (opted out, hard bounce). */
  | { kind: 'failed'; reason: string; suppress?: boolean };

export interface EmailChannel {
  readonly name: string;
  /** Most e-mails one call may carry (Resend's batch endpoint takes 100). */
  readonly maxBatch: number;
  /** One outcome per e-mail, in order. The key is the call's Idempotency-Key. */
  send(batch: OutgoingEmail[], idempotencyKey: string): Promise<SendOutcome[]>;
}

export interface SmsChannel {
  readonly name: string;
  /** The configured sender number or Messaging Service, used when the store has not saved its own. */
  readonly sender: string;
  send(sms: OutgoingSms): Promise<SendOutcome>;
  /** The provider id of this SMS if the provider already has it (sent since `since`), for outcome-unknown retries. */
  findSent(sms: OutgoingSms, since: Date): Promise<string | null>;
}
