// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { runSweepCommand } from '#src/compliance/sweep.ts';
import { addNote } from '#src/orders/add-customer-note.ts';
import { changeStatus } from '#src/orders/change-line-status.ts';
import { cancelAndRefund } from '#src/orders/staff-cancel.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [runSweepCommand.name]: runSweepCommand,
  [changeStatus.name]: changeStatus,
  [cancelAndRefund.name]: cancelAndRefund,
} as const;

export type CommandName = keyof typeof COMMANDS;
