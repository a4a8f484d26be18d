// Twilio's status callback: sent / delivered / undelivered / failed, verified, never moving a status backwards.
import type { APIRoute } from 'astro';
import { config } from '#src/config/config.ts';
import { readTwilioStatus, verifiedTwilioParams } from '#src/messages/provider-webhooks/twilio-events.ts';
import { recordDelivery } from '#src/messages/record-delivery.ts';

export const POST: APIRoute = async ({ request, locals }) => {
  const params = await verifiedTwilioParams(request, '/webhooks/twilio/status', config());
  if (params instanceof Response) return params;
  const report = readTwilioStatus(params);
  if (!report) return new Response('Missing MessageSid or MessageStatus', { status: 400 });
  return Response.json(await recordDelivery(locals.db, report));
};
