import { describe, expect, it } from 'vitest';
import { type DeliveryStatus, mayAdvance } from '#src/domain/delivery-status.ts';
import { classifySmsKeyword } from '#src/domain/sms-keywords.ts';

describe('delivery status only moves forward', () => {
  it.each<[DeliveryStatus, DeliveryStatus, boolean]>([
    ['sending', 'sent', true],
    ['sent', 'delivered', true],
    ['delivered', 'sent', false],
    ['delivered', 'delivered', false],
    ['sent', 'failed', true],
    ['delivered', 'failed', true],
    ['failed', 'delivered', false],
    ['suppressed', 'sent', false],
    ['queued', 'failed', false],
  ])('%s → %s: %s', (from, to, allowed) => {
    expect(mayAdvance(from, to)).toBe(allowed);
  });
});

describe('inbound SMS keywords', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'CANCEL', 'end', 'Quit', 'revoke', 'opt out', 'OPTOUT'])(
    '"%s" opts out',
    (body) => {
      expect(classifySmsKeyword(body)).toBe('opt_out');
    },
  );
  it.each(['START', 'unstop', 'Yes'])('"%s" opts back in', (body) => {
    expect(classifySmsKeyword(body)).toBe('opt_in');
  });
  it('"HELP" asks for help', () => expect(classifySmsKeyword('help')).toBe('help'));
  it.each(['please stop sending the wrong size', 'when will it ship?', ''])('"%s" is an ordinary message', (body) => {
    expect(classifySmsKeyword(body)).toBe('other');
  });
});
