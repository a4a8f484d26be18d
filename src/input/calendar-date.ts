// The one parser for calendar dates taken from outside (form fields, CLI flags, webhook bodies): 'YYYY-MM-DD'.
//
// It checks how the date is written, not whether the day exists: 30 February is refused by the command that takes
// it, with its own `invalid_date` reason (isValidCalendarDate), so every entry point answers an impossible date alike.
import { z } from 'zod';
import { CALENDAR_DATE_FORMAT } from '#src/domain/calendar-date.ts';

/** A date field. */
export const dateText = z.string().regex(CALENDAR_DATE_FORMAT, 'must be a date written YYYY-MM-DD');

/** A date field that may be left empty: empty means no date (null). */
export const optionalDateText = z.union([z.literal(''), dateText]).transform((v) => (v === '' ? null : v));
