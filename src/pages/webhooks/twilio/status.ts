// Twilio's status callback: sent / delivered / undelivered / failed, verified, never moving a status backwards.
import type { APIRoute } from 'astro';
import { execute } from '#src/commands/command.ts';
import { refusalStatus } from '#src/commands/refusal-status.ts';
import { config } from '#src/config/config.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { readTwilioStatus, TWILIO_STATUS_WEBHOOK, verifiedTwilioParams } from '#src/messages/provider-webhooks/twilio-events.ts';
import { recordDeliveryReport } from '#src/messages/record-delivery.ts';

export const POST: APIRoute = async ({ request, locals }) => {
  // The signature is checked here, at the edge: only a verified report reaches the command, as the system.
  const params = await verifiedTwilioParams(request, '/webhooks/twilio/status', config());
  if (params instanceof Response) return params;
  const report = readTwilioStatus(params);
  if (!report) return new Response('Missing MessageSid or MessageStatus', { status: 400 });
  const result = await execute(recordDeliveryReport, locals.db, report, TWILIO_STATUS_WEBHOOK);
  if (!result.ok) return new Response(describeRefusal('record-delivery', result, report), { status: refusalStatus(result.reason) });
  return Response.json(result);
};
