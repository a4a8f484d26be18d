// Who may answer for an order, and in which words a customer is refused: the rules and catalogues of the customer's
// commands, without a database.
import { describe, expect, it } from 'vitest';
import { customerPrincipal, staffPrincipal } from '#src/commands/principal.ts';
import { consentToDelayCommand, customerCancelCommand, readAnswer } from '#src/consent/respond-to-delay.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { unsubscribeUpdates } from '#src/messages/unsubscribe-updates.ts';

const link = (purpose: 'consent' | 'cancel' | 'order_view' | 'unsubscribe', lineId: number | null = null) =>
  customerPrincipal({ orderId: 7, purpose, lineId });

describe('customer commands', () => {
  it('a single-line link answers for its line only, never another line or the whole order', () => {
    const allow = customerCancelCommand.allow;
    expect(allow(link('cancel', 3), { orderId: 7, lineIds: [3] })).toBe(true);
    expect(allow(link('cancel', 3), { orderId: 7, lineIds: [4] })).toBe(false);
    expect(allow(link('cancel', 3), { orderId: 7, lineIds: null })).toBe(false);
    expect(allow(link('order_view'), { orderId: 7, lineIds: null })).toBe(true);
    expect(allow(link('order_view'), { orderId: 8, lineIds: null })).toBe(false);
    expect(allow(link('consent', 3), { orderId: 7, lineIds: [3] })).toBe(false);
    expect(consentToDelayCommand.allow(link('consent', 3), { orderId: 7, lineId: 3 })).toBe(true);
    expect(consentToDelayCommand.allow(staffPrincipal({ id: 1, role: 'owner' }), { orderId: 7, lineId: 3 })).toBe(true);
    expect(unsubscribeUpdates.allow(link('unsubscribe'), { orderId: 7 })).toBe(true);
    expect(unsubscribeUpdates.allow(link('order_view'), { orderId: 7 })).toBe(false);
  });

  it("reads the respond page's fields with the commands' schemas", () => {
    expect(readAnswer('consent', { orderId: 7, line: '3' })).toEqual({ action: 'consent', input: { orderId: 7, lineId: 3 } });
    expect(readAnswer('consent', { orderId: 7, line: 'all' })).toBeNull();
    expect(readAnswer('cancel', { orderId: 7, line: 'all' })).toEqual({ action: 'cancel', input: { orderId: 7, lineIds: null } });
    expect(readAnswer('cancel', { orderId: 7, line: 3 })).toEqual({ action: 'cancel', input: { orderId: 7, lineIds: [3] } });
    for (const line of ['', '1e3', '-1', null]) expect(readAnswer('cancel', { orderId: 7, line })).toBeNull();
    expect(readAnswer('ship', { orderId: 7, line: '3' })).toBeNull();
  });

  it("refuses a customer in the customer's language, English when it is not one Porchlight speaks", () => {
    const refusal = { ok: false, reason: 'not_open' } as const;
    expect(describeRefusal('customer-cancel', refusal, {}, 'en')).toBe(
      'This item has already shipped or was cancelled, so there is nothing to change.',
    );
    expect(describeRefusal('customer-cancel', refusal, {}, 'de-AT')).toBe(
      'Dieser Artikel wurde bereits versandt oder storniert, daher gibt es nichts zu ändern.',
    );
    expect(describeRefusal('customer-cancel', refusal, {}, 'fr')).toMatch(/^This item/);
    expect(describeRefusal('mark-refund-sent', { ok: false, reason: 'not_found' }, { refundId: '9' })).toBe('There is no such refund.');
  });
});
