// Normalising what a shopper types as contact: e-mail lower-cased, phone numbers to E.164.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

export type Contact = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

export function normaliseEmail(input: string): string {
  return input.trim().toLowerCase();
}

/** E.164 for a phone number, reading numbers without a country code as the store's country. */
export function normalisePhone(input: string, defaultCountry: 'US' | 'CA' | 'GB' | 'DE' | 'FR' = 'US'): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed?.isPossible() ? parsed.number : null;
}

/** Reads the lookup form's one contact field as an e-mail (it has an @) or a phone number. */
export function parseContact(input: string): Contact | null {
  const trimmed = input.trim();
  if (trimmed.includes('@')) {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? { kind: 'email', value: normaliseEmail(trimmed) } : null;
  }
  const phone = normalisePhone(trimmed);
  return phone ? { kind: 'phone', value: phone } : null;
}

/** Order numbers as shoppers type them: "#1042 " is 1042. */
export function normaliseOrderNumber(input: string): string {
  return input.trim().replace(/^#/, '').toUpperCase();
}
