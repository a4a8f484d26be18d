// fast-check generators for what an attacker sends to a boundary: text that no field may hold, ids that are not ids.
import fc from 'fast-check';

/** Characters no single-line field may hold: NUL, other C0 controls, DEL, C1 controls (U+0085 "next line" among them). */
export const controlChar = fc.oneof(
  fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f'),
  fc
    .integer({ min: 0, max: 0x1f })
    .filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d)
    .map((c) => String.fromCharCode(c)),
);

/** A lone UTF-16 surrogate: reachable through JSON escapes ("\ud800"), never valid text. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Any text at all: every Unicode plane, quotes, backslashes, percent signs. */
export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom("'", '"', '\\', '%', '_', ';', '--', '<', '>', '&', ' ', '1', 'e'), maxLength: 20 }),
);

// The bad character sits between two visible ones: at either end, a whitespace control (tab, vertical tab, form feed)
// is trimmed away like a space, and what is left is clean text that may rightly be accepted.

/** Text that always holds at least one character a form field must refuse (what travels in a form body intact). */
export const formHostileText = fc.tuple(anyText, controlChar, anyText).map(([a, bad, b]) => `${a}x${bad}x${b}`);

/** Text that always holds a control character or a lone surrogate (what a JSON body can carry). */
export const jsonHostileText = fc.tuple(anyText, fc.oneof(controlChar, loneSurrogate), anyText).map(([a, bad, b]) => `${a}x${bad}x${b}`);

/** Strings that look numeric but are not ids: exponents, huge and negative integers, decimals, signs, padding. */
export const notAnId = fc.oneof(
  fc.constantFrom(
    '1e3',
    '1e0',
    '1E3',
    '0x10',
    '0b1',
    '0',
    '-1',
    '+1',
    ' 1',
    '1 ',
    '01',
    '1.0',
    '1.5',
    'Infinity',
    'NaN',
    '',
    '2147483648',
    '9007199254740993',
  ),
  fc.bigInt({ min: 2_147_483_648n, max: 10n ** 30n }).map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 0n }).map(String),
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 400 })).map(([m, e]) => `${m}e${e}`),
  fc
    .double({ noDefaultInfinity: false })
    .filter((d) => !Number.isInteger(d) || d <= 0 || d > 2_147_483_647)
    .map(String),
  formHostileText,
);

/**
 * A path segment as an attacker writes it: percent-encoded text with controls, raw invalid UTF-8 (an encoded lone
 * surrogate, an overlong slash, a lone 0xFF), or a non-id number.
 */
export const hostileSegment = fc
  .oneof(
    formHostileText.map(encodeSegment),
    fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%C0%AF', '%FF', '%E2%80%AE'),
    notAnId.map(encodeSegment),
  )
  // An empty segment is no segment: `/orders//respond` is another address (the router folds the slashes).
  .filter((segment) => segment !== '');

/** Percent-encodes text for a path (a lone surrogate, which no URL can hold as UTF-8, becomes U+FFFD). */
export function encodeSegment(text: string): string {
  return encodeURIComponent(text.toWellFormed());
}
