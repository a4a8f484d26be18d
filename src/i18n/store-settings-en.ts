// The store settings form's words in English: each field's label and what to do about each problem with a field. The
// settings page shows them beside the fields; the settings command's refusal names them (src/i18n/refusals/en.ts).
import { SETTINGS_LIMITS, type SettingsField, type SettingsProblem } from '#src/store/update-store-settings.ts';

export const SETTINGS_PROBLEMS_EN: Record<SettingsProblem, string> = {
  name_invalid: `Enter the store's name, 1 to ${SETTINGS_LIMITS.nameMax} characters.`,
  email_invalid: 'Enter an e-mail address such as help@yourshop.com.',
  phone_invalid: 'Enter a phone number with its country code, such as +1 555 555 0100, or leave it empty.',
  logo_not_https: 'Enter an address that starts with https://, or leave it empty.',
  time_zone_invalid: 'Enter a time zone from the IANA list, such as America/New_York or Europe/Berlin.',
  locale_invalid: 'Choose languages from the list.',
  locales_without_default: 'Offer the default language too.',
  time_invalid: 'Enter a time as HH:MM on the 24-hour clock, such as 21:00.',
  coalesce_out_of_range: `Enter a whole number of seconds from 0 to ${SETTINGS_LIMITS.coalesceMax}.`,
  at_risk_out_of_range: `Enter a whole number of days from ${SETTINGS_LIMITS.atRiskMin} to ${SETTINGS_LIMITS.atRiskMax}.`,
  policy_invalid: 'Choose one of the two policies.',
  holidays_invalid: 'Write one date per line as YYYY-MM-DD, such as 2026-12-25.',
  holidays_too_many: `List at most ${SETTINGS_LIMITS.holidaysMax} dates.`,
  email_from_invalid: 'Enter "Store name <address@yourshop.com>" or just the address, or leave it empty.',
  sms_from_invalid: 'Enter a phone number in E.164 form (such as +15555550100) or a messaging service SID (MG…), or leave it empty.',
};
export const SETTINGS_LABELS_EN: Record<SettingsField, string> = {
  name: 'Store name',
  supportEmail: 'Support e-mail',
  supportPhone: 'Support phone',
  logoUrl: 'Logo address',
  timeZone: 'Time zone',
  defaultLocale: 'Default language',
  locales: 'Languages offered',
  quietHoursStart: 'Quiet hours start',
  quietHoursEnd: 'Quiet hours end',
  coalesceSeconds: 'Coalescing window',
  atRiskDays: 'At-risk warning',
  cancellationPolicy: 'Cancellation policy',
  holidays: 'Holidays',
  emailFrom: 'E-mail sender',
  smsFrom: 'SMS sender',
};
