// What staff read in the console for a message's kind and status (English, like the rest of the console).
const TEMPLATES: Record<string, string> = {
  update: 'Update',
  delay_notice: 'Delay option notice',
  cancellation: 'Cancellation',
  refund: 'Refund sent',
};

const STATUSES: Record<string, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Failed',
  suppressed: 'Suppressed',
  retry: 'Retry',
  held: 'Held',
};

/** A message's kind (its template); an unknown one is shown as it is. */
export function describeTemplate(template: string): string {
  return TEMPLATES[template] ?? template;
}

/** A message's status, or a step of its delivery history; an unknown one is shown as it is. */
export function describeMessageStatus(status: string): string {
  return STATUSES[status] ?? status;
}

/** The badge tone of a message status: failures stand out, suppressions warn, sent and delivered are fine. */
export function messageStatusTone(status: string): 'bad' | 'warn' | 'ok' | '' {
  return status === 'failed' ? 'bad' : status === 'suppressed' ? 'warn' : status === 'sent' || status === 'delivered' ? 'ok' : '';
}
