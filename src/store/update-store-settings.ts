// The owner's store settings: validates every field of the settings form, saves them at once, and reports what changed;
// and the command the settings page runs for it.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { storeSettings } from '#db/schema/index.ts';
import { defineCommand } from '#src/commands/command.ts';
import { staff } from '#src/commands/rules.ts';
import { isValidCalendarDate } from '#src/domain/calendar-date.ts';
import { normalisePhone } from '#src/domain/contact.ts';
import { LOCALES } from '#src/i18n/locales.ts';
import type { StoreSettings } from './store-settings.ts';

export const CANCELLATION_POLICIES = ['while_unshipped', 'rule_only'] as const;

export const SETTINGS_LIMITS = {
  nameMax: 80,
  coalesceMax: 3600,
  atRiskMin: 1,
  atRiskMax: 30,
  holidaysMax: 200,
} as const;

export const SETTINGS_FIELDS = [
  'name',
  'supportEmail',
  'supportPhone',
  'logoUrl',
  'timeZone',
  'defaultLocale',
  'locales',
  'quietHoursStart',
  'quietHoursEnd',
  'coalesceSeconds',
  'atRiskDays',
  'cancellationPolicy',
  'holidays',
  'emailFrom',
  'smsFrom',
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

/** What the settings form sends: text for every field, the ticked languages as a list. */
export type SettingsInput = { [K in SettingsField]: K extends 'locales' ? readonly string[] : string };

export type SettingsProblem =
  | 'name_invalid'
  | 'email_invalid'
  | 'phone_invalid'
  | 'logo_not_https'
  | 'time_zone_invalid'
  | 'locale_invalid'
  | 'locales_without_default'
  | 'time_invalid'
  | 'coalesce_out_of_range'
  | 'at_risk_out_of_range'
  | 'policy_invalid'
  | 'holidays_invalid'
  | 'holidays_too_many'
  | 'email_from_invalid'
  | 'sms_from_invalid';

export type SettingsErrors = Partial<Record<SettingsField, SettingsProblem>>;

export type UpdateSettingsResult =
  | { ok: true; settings: StoreSettings; changed: SettingsField[] }
  | { ok: false; reason: 'invalid'; errors: SettingsErrors }
  | { ok: false; reason: 'not_found' };

/** The stored settings as the form shows them (the inverse of what `updateStoreSettings` parses). */
export function settingsFormValues(s: StoreSettings): SettingsInput {
  return {
    name: s.name,
    supportEmail: s.supportEmail,
    supportPhone: s.supportPhone ?? '',
    logoUrl: s.logoUrl ?? '',
    timeZone: s.timeZone,
    defaultLocale: s.defaultLocale,
    locales: [...s.locales],
    quietHoursStart: s.quietHoursStart,
    quietHoursEnd: s.quietHoursEnd,
    coalesceSeconds: String(s.coalesceSeconds),
    atRiskDays: String(s.atRiskDays),
    cancellationPolicy: s.cancellationPolicy,
    holidays: s.holidays.join('\n'),
    emailFrom: s.emailFrom ?? '',
    smsFrom: s.smsFrom ?? '',
  };
}

/** The canonical IANA name of a time zone (`US/Eastern` → `America/New_York`), or null when Intl does not know it. */
export function canonicalTimeZone(value: string): string | null {
  if (value.length === 0 || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const NO_CONTROL = /^[^\p{C}]*$/u;
const ADDRESS = z.email().max(254);
/** `Name <addr>` (the name optionally quoted) or a bare address. */
const MAILBOX = /^(?:"?([^"<>\r\n]{1,100}?)"?\s*<([^<>\s]+)>|([^<>\s]+))$/;
const TWILIO_MESSAGING_SERVICE = /^MG[0-9a-fA-F]{32}$/;
const optional = (value: string) => (value.trim() === '' ? null : value.trim());

/** A sender e-mail as the provider expects it, or null when it is not one. */
export function parseEmailFrom(value: string): string | null {
  if (value.length > 360 || !NO_CONTROL.test(value)) return null;
  const m = MAILBOX.exec(value.trim());
  if (!m) return null;
  const address = (m[2] ?? m[3] ?? '').toLowerCase();
  if (!ADDRESS.safeParse(address).success) return null;
  const name = m[1]?.trim();
  if (m[2] === undefined) return address;
  if (!name) return null;
  return /[,;:@()[\]\\]/.test(name) ? `"${name}" <${address}>` : `${name} <${address}>`;
}

/** An SMS sender: a phone number (stored as E.164) or a Twilio messaging service SID (`MG` + 32 hex). */
export function parseSmsFrom(value: string): string | null {
  const v = value.trim();
  if (TWILIO_MESSAGING_SERVICE.test(v)) return `MG${v.slice(2).toLowerCase()}`;
  if (v.length > 32 || !/^[+\d\s().-]+$/.test(v)) return null;
  return normalisePhone(v);
}

/** One date per line (commas also separate); blank lines are ignored; the result is sorted and without repeats. */
export function parseHolidays(
  value: string,
): { ok: true; dates: string[] } | { ok: false; problem: 'holidays_invalid' | 'holidays_too_many' } {
  const entries = value
    .split(/[\r\n,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length > SETTINGS_LIMITS.holidaysMax) return { ok: false, problem: 'holidays_too_many' };
  if (!entries.every((d) => isValidCalendarDate(d))) return { ok: false, problem: 'holidays_invalid' };
  return { ok: true, dates: [...new Set(entries)].sort() };
}

/** A whole number written with digits only, within [min, max]. */
const wholeNumber = (min: number, max: number, error: SettingsProblem) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, { error })
    .transform(Number)
    .pipe(z.number().min(min, { error }).max(max, { error }));

const hhmm = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'time_invalid' });

/** Each field's rule; the error of an issue is the problem code the form shows next to the field. */
const SettingsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: 'name_invalid' })
    .max(SETTINGS_LIMITS.nameMax, { error: 'name_invalid' })
    .regex(NO_CONTROL, { error: 'name_invalid' }),
  supportEmail: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'email_invalid' }).max(254, { error: 'email_invalid' })),
  supportPhone: z
    .string()
    .max(40, { error: 'phone_invalid' })
    .transform((v, ctx) => {
      const o = optional(v);
      if (o === null) return null;
      const phone = /^[+\d\s().-]+$/.test(o) ? normalisePhone(o) : null;
      if (phone === null) ctx.addIssue({ code: 'custom', message: 'phone_invalid' });
      return phone;
    }),
  logoUrl: z
    .string()
    .max(2048, { error: 'logo_not_https' })
    .transform((v, ctx) => {
      const o = optional(v);
      if (o === null) return null;
      const url = URL.canParse(o) ? new URL(o) : null;
      if (url?.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '') {
        ctx.addIssue({ code: 'custom', message: 'logo_not_https' });
        return null;
      }
      return url.href;
    }),
  timeZone: z.string().transform((v, ctx) => {
    const zone = canonicalTimeZone(v.trim());
    if (zone === null) ctx.addIssue({ code: 'custom', message: 'time_zone_invalid' });
    return zone ?? '';
  }),
  defaultLocale: z.enum(LOCALES, { error: 'locale_invalid' }),
  locales: z
    .array(z.enum(LOCALES, { error: 'locale_invalid' }), { error: 'locale_invalid' })
    .max(LOCALES.length * 2, { error: 'locale_invalid' })
    .transform((list) => LOCALES.filter((l) => list.includes(l))),
  quietHoursStart: hhmm,
  quietHoursEnd: hhmm,
  coalesceSeconds: wholeNumber(0, SETTINGS_LIMITS.coalesceMax, 'coalesce_out_of_range'),
  atRiskDays: wholeNumber(SETTINGS_LIMITS.atRiskMin, SETTINGS_LIMITS.atRiskMax, 'at_risk_out_of_range'),
  cancellationPolicy: z.enum(CANCELLATION_POLICIES, { error: 'policy_invalid' }),
  holidays: z
    .string()
    .max(20_000, { error: 'holidays_too_many' })
    .transform((v, ctx) => {
      const parsed = parseHolidays(v);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
      return parsed.ok ? parsed.dates : [];
    }),
  emailFrom: z
    .string()
    .max(360, { error: 'email_from_invalid' })
    .transform((v, ctx) => {
      if (optional(v) === null) return null;
      const from = parseEmailFrom(v);
      if (from === null) ctx.addIssue({ code: 'custom', message: 'email_from_invalid' });
      return from;
    }),
  smsFrom: z
    .string()
    .max(64, { error: 'sms_from_invalid' })
    .transform((v, ctx) => {
      if (optional(v) === null) return null;
      const from = parseSmsFrom(v);
      if (from === null) ctx.addIssue({ code: 'custom', message: 'sms_from_invalid' });
      return from;
    }),
});

type ParsedSettings = z.output<typeof SettingsSchema>;

const PROBLEMS = new Set<string>([
  'name_invalid',
  'email_invalid',
  'phone_invalid',
  'logo_not_https',
  'time_zone_invalid',
  'locale_invalid',
  'locales_without_default',
  'time_invalid',
  'coalesce_out_of_range',
  'at_risk_out_of_range',
  'policy_invalid',
  'holidays_invalid',
  'holidays_too_many',
  'email_from_invalid',
  'sms_from_invalid',
] satisfies SettingsProblem[]);

/** A problem for each field that needs fixing (the first one found), or the values to store. */
export function parseSettings(input: unknown): { ok: true; value: ParsedSettings } | { ok: false; errors: SettingsErrors } {
  const parsed = SettingsSchema.safeParse(input);
  const errors: SettingsErrors = {};
  for (const issue of parsed.error?.issues ?? []) {
    const field = issue.path[0];
    if (typeof field !== 'string' || !(SETTINGS_FIELDS as readonly string[]).includes(field)) continue;
    const key = field as SettingsField;
    // A missing or wrongly typed field gets its field's own problem, named by the issue zod raised first for it.
    errors[key] ??= PROBLEMS.has(issue.message) ? (issue.message as SettingsProblem) : FALLBACK[key];
  }
  // The languages offered must include the default one (checked once both fields are valid on their own).
  const languages = SettingsSchema.pick({ defaultLocale: true, locales: true }).safeParse(input);
  if (languages.success && !languages.data.locales.includes(languages.data.defaultLocale)) errors.locales ??= 'locales_without_default';
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, value: parsed.data };
  if (Object.keys(errors).length === 0) errors.name = 'name_invalid';
  return { ok: false, errors };
}

const FALLBACK: Record<SettingsField, SettingsProblem> = {
  name: 'name_invalid',
  supportEmail: 'email_invalid',
  supportPhone: 'phone_invalid',
  logoUrl: 'logo_not_https',
  timeZone: 'time_zone_invalid',
  defaultLocale: 'locale_invalid',
  locales: 'locale_invalid',
  quietHoursStart: 'time_invalid',
  quietHoursEnd: 'time_invalid',
  coalesceSeconds: 'coalesce_out_of_range',
  atRiskDays: 'at_risk_out_of_range',
  cancellationPolicy: 'policy_invalid',
  holidays: 'holidays_invalid',
  emailFrom: 'email_from_invalid',
  smsFrom: 'sms_from_invalid',
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Saves the whole settings form, or nothing when any field is wrong. Nothing is written when nothing changed;
 * otherwise `updatedAt` records when, and `changed` names the fields that did.
 */
export async function updateStoreSettings(
  db: Db,
  input: SettingsInput | { [K in SettingsField]?: unknown },
  now: Date = new Date(),
): Promise<UpdateSettingsResult> {
  const parsed = parseSettings(input);
  if (!parsed.ok) return { ok: false, reason: 'invalid', errors: parsed.errors };
  const value = parsed.value;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(storeSettings).limit(1).for('update');
    if (!current) return { ok: false, reason: 'not_found' } as const;
    const changed = SETTINGS_FIELDS.filter((f) => !same(current[f], value[f]));
    if (changed.length === 0) return { ok: true, settings: current, changed } as const;
    const [settings] = await tx
      .update(storeSettings)
      .set({ ...value, updatedAt: now })
      .where(eq(storeSettings.id, current.id))
      .returning();
    return { ok: true, settings: settings as StoreSettings, changed } as const;
  });
}

/**
 * The command's input is only the form's shape: text for each field (a file or an oversized value counts as missing),
 * the ticked languages as a list. What each value must be is `updateStoreSettings`'s to say, field by field.
 */
const fieldText = z.string().max(100_000).optional().catch(undefined);
const SettingsFields = z.object({
  ...(Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, fieldText])) as Record<Exclude<SettingsField, 'locales'>, typeof fieldText>),
  locales: z.array(z.string().max(16)).max(10).optional().catch(undefined),
});

/** What was typed, to show again in the form when nothing was saved (so only the fields in error need fixing). */
export function settingsTypedBack(raw: unknown): SettingsInput {
  const typed: z.output<typeof SettingsFields> = SettingsFields.safeParse(raw).data ?? {};
  const shown: Record<string, unknown> = { locales: typed.locales ?? [] };
  for (const f of SETTINGS_FIELDS) if (f !== 'locales') shown[f] = (typed[f] ?? '').slice(0, 20_000);
  return shown as SettingsInput;
}

/** Command: an owner saves the store settings form. */
export const updateSettings = defineCommand({
  name: 'update-store-settings',
  input: SettingsFields,
  allow: staff('owner'),
  run: (db, input, { now }) => updateStoreSettings(db, input, now),
});
