// SMS segment counting: GSM-7 (basic set + extension table) vs UCS-2, single and concatenated messages.
//
// Conventions (match what carriers and Twilio bill):
// - GSM-7 when every character is in the GSM 03.38 basic set or its extension table; an extension character
//   (form feed ^ { } \ [ ] ~ | €) costs 2 septets (escape + char). One segment holds 160 septets; a concatenated
//   message 153 per segment (the rest is the UDH), and an escape pair is never split across segments.
// - Otherwise UCS-2 (UTF-16): 70 code units in one segment, 67 per concatenated segment; characters outside the BMP
//   (most emoji) take 2 code units and a surrogate pair is never split across segments.
// - The empty string is 0 segments (nothing is sent); any non-empty text is at least 1.
// - No "smart encoding": a curly quote or other look-alike is counted as written, so it forces UCS-2.

export const SmsEncoding = { Gsm7: 'GSM-7', Ucs2: 'UCS-2' } as const;
export type SmsEncoding = (typeof SmsEncoding)[keyof typeof SmsEncoding];

export type SmsCount = {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text, before segmentation. */
  units: number;
};

export const GSM7_SINGLE = 160;
export const GSM7_MULTI = 153;
export const UCS2_SINGLE = 70;
export const UCS2_MULTI = 67;

const GSM7_BASIC = new Set<string>([
  ...'@£$¥èéùìòÇ\nØø\rÅå',
  ...'Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ', // 0x1B (escape) is not a character
  ...' !"#¤%&\'()*+,-./',
  ...'0123456789:;<=>?',
  ...'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§',
  ...'¿abcdefghijklmnopqrstuvwxyzäöñüà',
]);
const GSM7_EXTENSION = new Set<string>([...'\f^{}\\[~]|€']);

/** True if `ch` (one code point) can be sent in GSM-7. */
export function isGsm7Char(ch: string): boolean {
  return GSM7_BASIC.has(ch) || GSM7_EXTENSION.has(ch);
}

/** Pack items of the given widths into segments of `size` units without splitting an item. */
function pack(widths: readonly number[], size: number): number {
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > size) {
      segments += 1;
      used = 0;
    }
    used += w;
  }
  return segments;
}

export function countSmsSegments(text: string): SmsCount {
  // One pass over the code points, building nothing: the SMS templates count every candidate text while shortening
  // it, several times per message.
  let gsm = true;
  let septets = 0;
  let codeUnits = 0;
  for (const ch of text) {
    codeUnits += ch.length;
    if (!gsm) continue;
    if (GSM7_BASIC.has(ch)) septets += 1;
    else if (GSM7_EXTENSION.has(ch)) septets += 2;
    else gsm = false;
  }
  const encoding = gsm ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2;
  const units = gsm ? septets : codeUnits;
  if (units === 0) return { encoding, segments: 0, units: 0 };
  if (units <= (gsm ? GSM7_SINGLE : UCS2_SINGLE)) return { encoding, segments: 1, units };
  // Only a concatenated message needs each character's width, to keep escape and surrogate pairs whole.
  const chars = [...text];
  const widths = gsm ? chars.map((c) => (GSM7_EXTENSION.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  return { encoding, segments: pack(widths, gsm ? GSM7_MULTI : UCS2_MULTI), units };
}
