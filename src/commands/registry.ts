// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { addNote } from '#src/orders/add-customer-note.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
} as const;

export type CommandName = keyof typeof COMMANDS;
