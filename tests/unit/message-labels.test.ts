// Staff read a message's kind and status as words, on an order's page and in the notification log alike.
import { describe, expect, it } from 'vitest';
import { describeMessageStatus, describeTemplate, messageStatusTone } from '#src/i18n/message-labels.ts';
import { LOG_STATUSES } from '#src/messages/notification-log.ts';

describe('a message, as staff read it', () => {
  it('names every kind of message the notifier sends', () => {
    expect(describeTemplate('delay_notice')).toBe('Delay option notice');
    for (const template of ['update', 'delay_notice', 'cancellation', 'refund'])
      expect(describeTemplate(template)).toMatch(/^[A-Z][a-z ]+$/);
  });

  it('names every status the log filters by, and the steps of a delivery history', () => {
    for (const status of [...LOG_STATUSES, 'retry', 'held']) expect(describeMessageStatus(status)).toMatch(/^[A-Z][a-z]+$/);
  });

  it('shows anything it does not know as it is', () => {
    expect(describeTemplate('a_new_kind')).toBe('a_new_kind');
    expect(describeMessageStatus('bounced_softly')).toBe('bounced_softly');
  });

  it('makes a failure stand out and a suppression warn', () => {
    expect(messageStatusTone('failed')).toBe('bad');
    expect(messageStatusTone('suppressed')).toBe('warn');
    expect(messageStatusTone('sent')).toBe('ok');
    expect(messageStatusTone('delivered')).toBe('ok');
    expect(messageStatusTone('queued')).toBe('');
  });
});
