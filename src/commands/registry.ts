// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { runSweepCommand } from '#src/compliance/sweep.ts';
import { addNote } from '#src/orders/add-customer-note.ts';
import { upsertOrderCommand } from '#src/orders/upsert-order.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [runSweepCommand.name]: runSweepCommand,
  [upsertOrderCommand.name]: upsertOrderCommand,
} as const;

export type CommandName = keyof typeof COMMANDS;
