// Specification of SMS segment counting (src/domain/sms-segments.ts): GSM-7 vs UCS-2, single vs concatenated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSmsSegments, isGsm7Char } from '../../src/domain/sms-segments.ts';

const EMOJI = '😀'; // outside the BMP: a surrogate pair, 2 UTF-16 code units

describe('countSmsSegments', () => {
  it.each([
    ['empty: nothing to send', '', 'GSM-7', 0, 0],
    ['one character', 'a', 'GSM-7', 1, 1],
    ['160 GSM characters fit one segment', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 GSM characters need two (153 each)', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 GSM characters fill two concatenated segments', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 GSM characters need three', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['newline and carriage return are basic GSM', 'Hi\r\nthere', 'GSM-7', 9, 1],
    ['the euro sign is an extension character: 2 septets', '€', 'GSM-7', 2, 1],
    ['80 extension characters = 160 septets, one segment', '{'.repeat(80), 'GSM-7', 160, 1],
    ['81 extension characters = 162 septets, two segments', '{'.repeat(81), 'GSM-7', 162, 2],
    ['an escape pair is never split across segments', `${'a'.repeat(152)}€${'a'.repeat(152)}`, 'GSM-7', 306, 3],
    ['70 UCS-2 characters fit one segment', 'я'.repeat(70), 'UCS-2', 70, 1],
    ['71 UCS-2 characters need two (67 each)', 'я'.repeat(71), 'UCS-2', 71, 2],
    ['134 UCS-2 characters fill two', 'я'.repeat(134), 'UCS-2', 134, 2],
    ['135 UCS-2 characters need three', 'я'.repeat(135), 'UCS-2', 135, 3],
    ['an emoji forces UCS-2 and counts 2', EMOJI, 'UCS-2', 2, 1],
    ['35 emoji = 70 code units, one segment', EMOJI.repeat(35), 'UCS-2', 70, 1],
    ['a GSM character plus 35 emoji = 71 units, two segments', `a${EMOJI.repeat(35)}`, 'UCS-2', 71, 2],
    ['a surrogate pair is never split across segments', `${'x'.repeat(66)}${EMOJI}${'x'.repeat(66)}`, 'UCS-2', 134, 3],
    ['a straight apostrophe stays GSM-7', "Don't worry", 'GSM-7', 11, 1],
    ['a curly apostrophe switches to UCS-2', 'Don’t worry', 'UCS-2', 11, 1],
    ['curly double quotes switch to UCS-2', '“Shipped”', 'UCS-2', 9, 1],
    ['one curly quote turns a 100-character GSM text into 2 UCS-2 segments', `${'a'.repeat(99)}’`, 'UCS-2', 100, 2],
    ['lower-case c-cedilla is not in GSM 03.38 (only Ç is)', 'ç', 'UCS-2', 1, 1],
    ['accented letters outside the set switch to UCS-2', 'á', 'UCS-2', 1, 1],
    ['the backtick is not GSM', '`', 'UCS-2', 1, 1],
  ])('%s', (_name, text, encoding, units, segments) => {
    expect(countSmsSegments(text)).toEqual({ encoding, units, segments });
  });

  it.each([...'^{}\\[~]|€\f'])('extension character %j costs 2 septets', (ch) => {
    expect(countSmsSegments(ch)).toEqual({ encoding: 'GSM-7', units: 2, segments: 1 });
  });

  it('the whole GSM 03.38 basic set is GSM-7, one septet each', () => {
    const basic =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    expect([...basic]).toHaveLength(127);
    expect(countSmsSegments(basic)).toEqual({ encoding: 'GSM-7', units: 127, segments: 1 });
    for (const ch of basic) expect(isGsm7Char(ch)).toBe(true);
  });

  it('a typical order update fits one GSM-7 segment', () => {
    const text =
      'Porchlight Games: order 1042 is delayed to 20 Jun 2026. Keep it or cancel for a full refund: https://shop.example/o/abc123 Reply STOP to opt out.';
    expect(countSmsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('never throws, and its counts are consistent, for any string (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ maxLength: 200 }),
        ),
        (text) => {
          const r = countSmsSegments(text);
          if (text === '') {
            expect(r.segments).toBe(0);
            return;
          }
          expect(r.segments).toBeGreaterThanOrEqual(1);
          if (r.encoding === 'UCS-2') {
            expect(r.units).toBe(text.length);
            expect(r.segments).toBeGreaterThanOrEqual(r.units <= 70 ? 1 : Math.ceil(r.units / 67));
            expect(r.segments).toBeLessThanOrEqual(r.units <= 70 ? 1 : Math.ceil(r.units / 66));
          } else {
            expect(r.units).toBeGreaterThanOrEqual(text.length);
            expect(r.units).toBeLessThanOrEqual(text.length * 2);
            expect(r.segments).toBeGreaterThanOrEqual(r.units <= 160 ? 1 : Math.ceil(r.units / 153));
            expect(r.segments).toBeLessThanOrEqual(r.units <= 160 ? 1 : Math.ceil(r.units / 152));
          }
        },
      ),
    );
  });
});
