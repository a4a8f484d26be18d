// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { runSweepCommand } from '#src/compliance/sweep.ts';
import { moveLineEtaCommand } from '#src/eta/move-line-eta.ts';
import { moveSkuEtaCommand } from '#src/eta/move-sku-eta-command.ts';
import { addNote } from '#src/orders/add-customer-note.ts';
import { changeStatus } from '#src/orders/change-line-status.ts';
import { cancelAndRefund } from '#src/orders/staff-cancel.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [runSweepCommand.name]: runSweepCommand,
  [changeStatus.name]: changeStatus,
  [cancelAndRefund.name]: cancelAndRefund,
  [moveLineEtaCommand.name]: moveLineEtaCommand,
  [moveSkuEtaCommand.name]: moveSkuEtaCommand,
} as const;

export type CommandName = keyof typeof COMMANDS;
