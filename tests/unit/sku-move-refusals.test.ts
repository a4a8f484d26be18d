// Staff read a sentence, not a code, when a SKU move is refused, on the SKU page and on a failed job's page alike.
import { describe, expect, it } from 'vitest';
import { describeSkuMoveRefusal } from '#src/i18n/refusals/describe-refusal.ts';

describe('a refused SKU move, as staff read it', () => {
  it('turns each reason the move can give into a sentence', () => {
    for (const reason of ['not_found', 'invalid_date', 'from_after_to', 'reason_required', 'date_in_past', 'no_date']) {
      const sentence = describeSkuMoveRefusal(reason);
      expect(sentence).not.toBe(reason);
      expect(sentence).toMatch(/^[A-Z"].*\.$/);
    }
    expect(describeSkuMoveRefusal('date_in_past')).toBe('The new date is already in the past.');
  });

  it('shows anything else as it is: an unexpected error says what it says', () => {
    expect(describeSkuMoveRefusal('connection terminated unexpectedly')).toBe('connection terminated unexpectedly');
  });
});
