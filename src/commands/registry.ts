// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { moveLineEtaCommand } from '#src/eta/move-line-eta.ts';
import { moveSkuEtaCommand } from '#src/eta/move-sku-eta-command.ts';
import { addNote } from '#src/orders/add-customer-note.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [moveLineEtaCommand.name]: moveLineEtaCommand,
  [moveSkuEtaCommand.name]: moveSkuEtaCommand,
} as const;

export type CommandName = keyof typeof COMMANDS;
