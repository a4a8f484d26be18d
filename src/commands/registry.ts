// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.
import { recordDeliveryReport } from '#src/messages/record-delivery.ts';
import { addNote } from '#src/orders/add-customer-note.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [recordDeliveryReport.name]: recordDeliveryReport,
} as const;

export type CommandName = keyof typeof COMMANDS;
