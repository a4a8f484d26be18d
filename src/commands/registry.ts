// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { createApiKeyCommand, revokeApiKeyCommand } from '#src/api-keys/manage-api-keys.ts';
import { addNote } from '#src/orders/add-customer-note.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [createApiKeyCommand.name]: createApiKeyCommand,
  [revokeApiKeyCommand.name]: revokeApiKeyCommand,
} as const;

export type CommandName = keyof typeof COMMANDS;
