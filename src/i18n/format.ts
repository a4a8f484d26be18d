// Locale- and zone-aware formatting of money (integer minor units), calendar dates and instants.

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Formats minor units (cents) in the currency's own number of fraction digits. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let fmt = moneyFormats.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, fmt);
  }
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(minor / 10 ** digits);
}

/** A calendar date (YYYY-MM-DD) is already in the store's zone: format it without shifting. */
export function formatCalendarDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

export function formatCalendarRange(from: string | null, to: string | null, locale: string): string | null {
  if (!from || !to) return from ? formatCalendarDate(from, locale) : to ? formatCalendarDate(to, locale) : null;
  if (from === to) return formatCalendarDate(from, locale);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).formatRange(
    new Date(`${from}T00:00:00Z`),
    new Date(`${to}T00:00:00Z`),
  );
}

/** An instant shown in the customer's own zone. */
export function formatInstant(at: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}
