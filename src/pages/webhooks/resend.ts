// Resend's webhook: signed delivery events → delivered / bounced / complained / failed, each applied once.
import type { APIRoute } from 'astro';
import { execute } from '#src/commands/command.ts';
import { refusalStatus } from '#src/commands/refusal-status.ts';
import { config } from '#src/config/config.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { RESEND_WEBHOOK, readResendWebhook } from '#src/messages/provider-webhooks/resend-events.ts';
import { recordDeliveryReport } from '#src/messages/record-delivery.ts';

export const POST: APIRoute = async ({ request, locals }) => {
  const secret = config().RESEND_WEBHOOK_SECRET;
  if (!secret) return new Response('Resend webhooks are not configured (RESEND_WEBHOOK_SECRET).', { status: 404 });
  const raw = await request.text();
  if (raw.length > 256_000) return new Response('Payload too large', { status: 413 });
  // The signature is checked here, at the edge: only a verified report reaches the command, as the system.
  const read = readResendWebhook(raw, request.headers, secret);
  if (!read.ok)
    return new Response(read.problem === 'signature' ? `Invalid signature: ${read.reason}` : read.reason, {
      status: read.problem === 'signature' ? 401 : 400,
    });
  if (!read.report) return new Response(null, { status: 204 });
  const result = await execute(recordDeliveryReport, locals.db, read.report, RESEND_WEBHOOK);
  if (!result.ok) return new Response(describeRefusal('record-delivery', result, read.report), { status: refusalStatus(result.reason) });
  return Response.json(result);
};
