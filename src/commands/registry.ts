// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { addNote } from '#src/orders/add-customer-note.ts';
import { changeStaffRoleCommand, createStaffMember, removeStaffCommand } from '#src/staff/manage-staff.ts';
import { changeOwnPassword, setUpFirstOwner } from '#src/staff/staff-accounts.ts';
import { updateSettings } from '#src/store/update-store-settings.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [createStaffMember.name]: createStaffMember,
  [changeStaffRoleCommand.name]: changeStaffRoleCommand,
  [removeStaffCommand.name]: removeStaffCommand,
  [changeOwnPassword.name]: changeOwnPassword,
  [setUpFirstOwner.name]: setUpFirstOwner,
  [updateSettings.name]: updateSettings,
} as const;

export type CommandName = keyof typeof COMMANDS;
