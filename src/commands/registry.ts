// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { consentToDelayCommand, customerCancelCommand } from '#src/consent/respond-to-delay.ts';
import { unsubscribeUpdates } from '#src/messages/unsubscribe-updates.ts';
import { addNote } from '#src/orders/add-customer-note.ts';
import { markRefundSentCommand, recordRefundCallback } from '#src/refunds/refund-commands.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [consentToDelayCommand.name]: consentToDelayCommand,
  [customerCancelCommand.name]: customerCancelCommand,
  [unsubscribeUpdates.name]: unsubscribeUpdates,
  [markRefundSentCommand.name]: markRefundSentCommand,
  [recordRefundCallback.name]: recordRefundCallback,
} as const;

export type CommandName = keyof typeof COMMANDS;
