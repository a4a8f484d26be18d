// Every command by name: the one list the refusal catalogues, the CLI and the API are checked against.

import { createApiKeyCommand, revokeApiKeyCommand } from '#src/api-keys/manage-api-keys.ts';
import { runSweepCommand } from '#src/compliance/sweep.ts';
import { consentToDelayCommand, customerCancelCommand } from '#src/consent/respond-to-delay.ts';
import { moveLineEtaCommand } from '#src/eta/move-line-eta.ts';
import { moveSkuEtaCommand } from '#src/eta/move-sku-eta-command.ts';
import { recordDeliveryReport } from '#src/messages/record-delivery.ts';
import { unsubscribeUpdates } from '#src/messages/unsubscribe-updates.ts';
import { addNote } from '#src/orders/add-customer-note.ts';
import { changeStatus } from '#src/orders/change-line-status.ts';
import { cancelAndRefund } from '#src/orders/staff-cancel.ts';
import { upsertOrderCommand } from '#src/orders/upsert-order.ts';
import { markRefundSentCommand, recordRefundCallback } from '#src/refunds/refund-commands.ts';
import { changeStaffRoleCommand, createStaffMember, removeStaffCommand } from '#src/staff/manage-staff.ts';
import { changeOwnPassword, setUpFirstOwner } from '#src/staff/staff-accounts.ts';
import { updateSettings } from '#src/store/update-store-settings.ts';

export const COMMANDS = {
  [addNote.name]: addNote,
  [runSweepCommand.name]: runSweepCommand,
  [changeStatus.name]: changeStatus,
  [cancelAndRefund.name]: cancelAndRefund,
  [moveLineEtaCommand.name]: moveLineEtaCommand,
  [moveSkuEtaCommand.name]: moveSkuEtaCommand,
  [consentToDelayCommand.name]: consentToDelayCommand,
  [customerCancelCommand.name]: customerCancelCommand,
  [unsubscribeUpdates.name]: unsubscribeUpdates,
  [markRefundSentCommand.name]: markRefundSentCommand,
  [recordRefundCallback.name]: recordRefundCallback,
  [createStaffMember.name]: createStaffMember,
  [changeStaffRoleCommand.name]: changeStaffRoleCommand,
  [removeStaffCommand.name]: removeStaffCommand,
  [changeOwnPassword.name]: changeOwnPassword,
  [setUpFirstOwner.name]: setUpFirstOwner,
  [updateSettings.name]: updateSettings,
  [recordDeliveryReport.name]: recordDeliveryReport,
  [createApiKeyCommand.name]: createApiKeyCommand,
  [revokeApiKeyCommand.name]: revokeApiKeyCommand,
  [upsertOrderCommand.name]: upsertOrderCommand,
} as const;

export type CommandName = keyof typeof COMMANDS;
