// Twilio's inbound SMS webhook: STOP and its synonyms opt out, START/UNSTOP opt back in, HELP answers (TwiML).
import type { APIRoute } from 'astro';
import { config } from '#src/config/config.ts';
import { handleInboundSms } from '#src/messages/answer-inbound-sms.ts';
import { verifiedTwilioParams } from '#src/messages/provider-webhooks/twilio-events.ts';
import { loadStoreSettings } from '#src/store/store-settings.ts';

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export const POST: APIRoute = async ({ request, locals }) => {
  const params = await verifiedTwilioParams(request, '/webhooks/twilio/inbound', config());
  if (params instanceof Response) return params;
  const from = params.From;
  const sid = params.MessageSid ?? params.SmsSid;
  if (!from || !sid) return new Response('Missing From or MessageSid', { status: 400 });
  const db = locals.db;
  const store = await loadStoreSettings(db);
  const result = await handleInboundSms(db, { receiptId: sid, from, body: params.Body ?? '', store });
  const twiml = result.reply ? `<Response><Message>${xml(result.reply)}</Message></Response>` : '<Response></Response>';
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>${twiml}`, { headers: { 'Content-Type': 'text/xml' } });
};
