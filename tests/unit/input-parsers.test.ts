import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
