// Why a command refused, in English: the console, the CLI and the API's problem details say the same sentence.
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '#src/auth/passwords.ts';
import { isCleanText } from '#src/input/text.ts';
import { SIGN_IN_LIMITS } from '#src/staff/staff-accounts.ts';
import { SETTINGS_LABELS_EN, SETTINGS_PROBLEMS_EN } from '../store-settings-en.ts';
import { field, type RefusalCatalogue } from './catalogue.ts';

const FORBIDDEN = () => 'You are not allowed to do that.';
const STAFF_FORM_NOT_UNDERSTOOD = () => 'The form was not understood. Reload the page and try again.';
const OWNER_ONLY = () => 'Only an owner may do this.';
const STAFF_GONE = () => 'That staff member no longer exists.';
const NOT_SELF = () => 'You cannot change your own role or remove yourself. Ask another owner.';
const LAST_OWNER = () => 'The store needs at least one owner: make someone else an owner first.';
const FILL_IN = () => 'Fill in every field.';

export const REFUSALS_EN: RefusalCatalogue = {
  'add-note': {
    invalid_input: (r, raw) =>
      r.fields.includes('orderNumber')
        ? 'This order does not exist.'
        : isCleanText(field(raw, 'text'), { multiline: true })
          ? 'The note is too long: keep it to 1,000 characters.'
          : 'The note contains control characters that cannot be stored. Remove them and try again.',
    forbidden: FORBIDDEN,
    not_found: () => 'This order does not exist.',
    empty: () => 'Write the note first: it is empty.',
    too_long: () => 'The note is too long: keep it to 1,000 characters.',
  },
  'create-staff': {
    invalid_input: STAFF_FORM_NOT_UNDERSTOOD,
    forbidden: OWNER_ONLY,
    invalid_email: () => 'Enter an e-mail address such as sam@yourshop.com.',
    invalid_name: () => 'Enter their name, 1 to 100 characters.',
    invalid_role: () => 'Choose owner or agent.',
    password_too_short: () => `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`,
    password_too_long: () => `Choose a password of at most ${PASSWORD_MAX_LENGTH} characters.`,
    email_taken: () => 'There is already a staff account with this e-mail address.',
  },
  'change-staff-role': {
    invalid_input: STAFF_FORM_NOT_UNDERSTOOD,
    forbidden: OWNER_ONLY,
    invalid_role: () => 'Choose owner or agent.',
    not_found: STAFF_GONE,
    self: NOT_SELF,
    last_owner: LAST_OWNER,
  },
  'remove-staff': {
    invalid_input: STAFF_FORM_NOT_UNDERSTOOD,
    forbidden: OWNER_ONLY,
    not_found: STAFF_GONE,
    self: NOT_SELF,
    last_owner: LAST_OWNER,
  },
  'change-password': {
    invalid_input: FILL_IN,
    forbidden: FORBIDDEN,
    mismatch: () => 'The two new passwords are not the same.',
    wrong_password: () => 'Your current password is not right.',
    rate_limited: () => `Too many wrong passwords. Try again in ${SIGN_IN_LIMITS.windowMs / 60_000} minutes.`,
    password_too_short: () => `Choose a new password of at least ${PASSWORD_MIN_LENGTH} characters.`,
    password_too_long: () => `Choose a new password of at most ${PASSWORD_MAX_LENGTH} characters.`,
    // The account was removed while its session was still open (removal ends its sessions, so rarely seen).
    not_found: FILL_IN,
  },
  'set-up-first-owner': {
    invalid_input: FILL_IN,
    forbidden: () => 'This page needs the setup link the server printed when it started.',
    mismatch: () => 'The two passwords are not the same.',
    invalid_email: () => 'Enter a valid e-mail address, like you@yourshop.com.',
    invalid_name: () => 'Enter your name (up to 100 characters).',
    password_too_short: () => `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a good one.`,
    password_too_long: () => `Choose a password of at most ${PASSWORD_MAX_LENGTH} characters.`,
    setup_done: () => 'The store already has an owner: sign in instead.',
  },
  'update-store-settings': {
    invalid_input: () => 'Nothing was saved: the form was not understood.',
    forbidden: OWNER_ONLY,
    invalid: (r) => {
      const fields = Object.entries(r.errors).map(
        ([f, problem]) => `${SETTINGS_LABELS_EN[f as keyof typeof SETTINGS_LABELS_EN]}: ${SETTINGS_PROBLEMS_EN[problem]}`,
      );
      return `Nothing was saved. Fix ${fields.length === 1 ? 'this field' : `these ${fields.length} fields`}: ${fields.join(' ')}`;
    },
    not_found: () => 'The store has no settings yet: run the migrations and the seed (npm start does both).',
  },
};
