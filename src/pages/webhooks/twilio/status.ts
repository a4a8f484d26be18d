// Twilio's status callback: sent / delivered / undelivered / failed, verified, never moving a status backwards.
import type { APIRoute } from 'astro';
import { runtimeDb } from '#db/runtime.ts';
import { recordDelivery } from '#src/app/record-delivery.ts';
import { config } from '#src/config/config.ts';
import { readTwilioStatus, verifyTwilio } from '#src/notify/webhooks/twilio-events.ts';

export const POST: APIRoute = async ({ request }) => {
  const cfg = config();
  if (!cfg.TWILIO_AUTH_TOKEN) return new Response('Twilio is not configured.', { status: 404 });
  const form = await request.formData().catch(() => null);
  if (!form) return new Response('Expected a form body', { status: 400 });
  const params = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const publicUrl = `${cfg.PUBLIC_URL.replace(/\/+$/, '')}/webhooks/twilio/status`;
  if (!verifyTwilio(cfg.TWILIO_AUTH_TOKEN, request.headers.get('x-twilio-signature'), publicUrl, params)) {
    return new Response('Invalid signature', { status: 401 });
  }
  const report = readTwilioStatus(params);
  if (!report) return new Response('Missing MessageSid or MessageStatus', { status: 400 });
  return Response.json(await recordDelivery(await runtimeDb(), report));
};
