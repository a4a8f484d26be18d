// The porchlight CLI's staff commands (registered in commands.ts): create a staff account, with a generated password if none is given.
import { z } from 'zod';
import { generatePassword, PASSWORD_MIN_LENGTH } from '#src/auth/passwords.ts';
import { createStaff } from '#src/staff/staff-accounts.ts';
import type { Command } from './commands.ts';

/** The shape of an entry of COMMANDS in commands.ts. */

const REASONS: Record<string, string> = {
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
    const args = z
      .object({ email: z.string().min(1), name: z.string().min(1), role: z.enum(['owner', 'agent']), password: z.string().optional() })
      .parse(flags);
    const generated = args.password === undefined;
    const password = args.password ?? generatePassword();
    const r = await createStaff(db, { email: args.email, name: args.name, role: args.role, password });
    if (!r.ok) return { code: 1, output: `Refused: ${REASONS[r.reason] ?? r.reason}` };
    const created = `Created ${r.user.role} ${r.user.name} <${r.user.email}>; sign in at /admin/login.`;
    return {
      code: 0,
      output: generated ? `${created}\nPassword (shown only this once, store it safely): ${password}` : created,
    };
  },
};

/** Every staff command by name, for `COMMANDS` in commands.ts. */
export const STAFF_COMMANDS: Record<string, Command> = { 'staff:create': staffCreateCommand };
