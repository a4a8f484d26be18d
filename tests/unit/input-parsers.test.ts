import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateText, optionalDateText } from '#src/input/calendar-date.ts';
import { MAX_ID, parseId } from '#src/input/ids.ts';
import { isCleanText, text } from '#src/input/text.ts';
import { controlChar, loneSurrogate, notAnId } from '#tests/support/hostile-input.ts';

describe('an id from outside', () => {
  it('is exactly the decimal writing of a whole number from 1 to 2,147,483,647', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ID }), (n) => {
        expect(parseId(String(n))).toBe(n);
      }),
    );
  });

  it('is nothing else: exponents, signs, spaces, leading zeros, decimals, huge numbers, control characters', () => {
    fc.assert(
      fc.property(notAnId, (raw) => {
        expect(parseId(raw)).toBeNull();
      }),
    );
    for (const raw of ['1e3', '1e0', '01', '+1', ' 1', '1.0', '2147483648', '', undefined, null, 7]) expect(parseId(raw)).toBeNull();
  });
});

describe('text from outside', () => {
  const field = text({ min: 1, max: 200 });
  const notes = text({ max: 200, multiline: true });

  it('refuses a control character or a lone surrogate anywhere inside', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.oneof(controlChar, loneSurrogate), fc.string({ maxLength: 20 }), (a, bad, b) => {
        expect(field.safeParse(`x${a}${bad}${b}x`).success).toBe(false);
        expect(notes.safeParse(`x${a}${bad}${b}x`).success).toBe(false);
      }),
    );
  });

  it('accepts any well-formed text without control characters, from every Unicode plane, trimmed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }), (s) => {
        fc.pre(isCleanText(s) && s.trim().length > 0);
        expect(field.parse(` ${s} `)).toBe(s.trim());
      }),
    );
  });

  it('lets multi-line fields hold tabs and line breaks, and single-line fields not', () => {
    expect(notes.parse('Line one\n\tLine two\r\nLine three')).toBe('Line one\n\tLine two\r\nLine three');
    expect(field.safeParse('Line one\nLine two').success).toBe(false);
    expect(field.safeParse('a\u0000b').error?.issues[0]?.message).toBe('contains a control character');
    expect(field.safeParse('a\ud800b').error?.issues[0]?.message).toBe('contains an invalid character');
  });
});

describe('a date from outside', () => {
  it('is written YYYY-MM-DD in ASCII digits, and nothing else', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const written = d.toISOString().slice(0, 10);
        expect(dateText.parse(written)).toBe(written);
      }),
    );
    for (const raw of ['2026-1-05', '20261205', '2026-12-05T00:00', ' 2026-12-05', '2026-12-05\n', '２０２６-12-05', '', '+2026-12-05']) {
      expect(dateText.safeParse(raw).success).toBe(false);
    }
  });

  it('leaves whether the day exists to the command, which refuses it with its own reason', () => {
    expect(dateText.parse('2026-02-30')).toBe('2026-02-30');
  });

  it('may be left empty where the field is optional, which means no date', () => {
    expect(optionalDateText.parse('')).toBeNull();
    expect(optionalDateText.parse('2026-12-05')).toBe('2026-12-05');
    expect(optionalDateText.safeParse('soon').success).toBe(false);
  });
});
