// Resend's webhook: signed delivery events → delivered / bounced / complained / failed, each applied once.
import type { APIRoute } from 'astro';
import { config } from '#src/config/config.ts';
import { readResendWebhook } from '#src/messages/provider-webhooks/resend-events.ts';
import { recordDelivery } from '#src/messages/record-delivery.ts';

export const POST: APIRoute = async ({ request, locals }) => {
  const secret = config().RESEND_WEBHOOK_SECRET;
  if (!secret) return new Response('Resend webhooks are not configured (RESEND_WEBHOOK_SECRET).', { status: 404 });
  const raw = await request.text();
  if (raw.length > 256_000) return new Response('Payload too large', { status: 413 });
  const read = readResendWebhook(raw, request.headers, secret);
  if (!read.ok)
    return new Response(read.problem === 'signature' ? `Invalid signature: ${read.reason}` : read.reason, {
      status: read.problem === 'signature' ? 401 : 400,
    });
  if (!read.report) return new Response(null, { status: 204 });
  const result = await recordDelivery(locals.db, read.report);
  return Response.json(result);
};
