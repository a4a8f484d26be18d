// The porchlight CLI's staff commands (registered in commands.ts): create a staff account, with a generated password if none is given.
import { PASSWORD_MIN_LENGTH } from '#src/auth/passwords.ts';
import { execute, type ReasonOf } from '#src/commands/command.ts';
import { CLI } from '#src/commands/principal.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { createStaffMember } from '#src/staff/manage-staff.ts';
import type { Command } from './commands.ts';

/**
 * The CLI's own words where they name its flags (the console's words name its form fields); any other refusal is
 * said in the catalogue's words.
 */
const FLAG_WORDS: Partial<Record<ReasonOf<typeof createStaffMember>, string>> = {
  invalid_email: '--email is not a valid e-mail address',
  invalid_name: '--name must be 1 to 100 characters',
  invalid_role: '--role must be owner or agent',
  password_too_short: `--password must be at least ${PASSWORD_MIN_LENGTH} characters (or leave it out to get a generated one)`,
  password_too_long: '--password must be at most 256 characters',
  email_taken: 'a staff account with that e-mail already exists',
};

export const staffCreateCommand: Command = {
  usage:
    'staff:create --email E --name "N" --role owner|agent [--password P]   (without --password a strong one is generated and shown once)',
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
  async run(db, flags) {
    const raw = { email: flags.email, name: flags.name, role: flags.role, password: flags.password };
    const r = await execute(createStaffMember, db, raw, CLI);
    // A flag left out or far too long is exit code 2, as a malformed flag is; any other refusal 1.
    if (!r.ok && r.reason === 'invalid_input') {
      const named = r.fields.map((f) => `--${f}`).join(', ');
      return { code: 2, output: `Refused: ${named} missing or too long\nUsage: npm run porchlight -- ${staffCreateCommand.usage}` };
    }
    if (!r.ok) return { code: 1, output: `Refused: ${FLAG_WORDS[r.reason] ?? describeRefusal('create-staff', r, raw)}` };
    const created = `Created ${r.user.role} ${r.user.name} <${r.user.email}>; sign in at /admin/login.`;
    return {
      code: 0,
      output: r.generated ? `${created}\nPassword (shown only this once, store it safely): ${r.password}` : created,
    };
  },
};

/** Every staff command by name, for `COMMANDS` in commands.ts. */
export const STAFF_COMMANDS: Record<string, Command> = { 'staff:create': staffCreateCommand };
