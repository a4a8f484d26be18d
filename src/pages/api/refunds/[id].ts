// The shop platform reports back on a refund it was asked to make: sent (with its reference) or failed (with why).
// Authenticated by the shared webhook secret (HMAC over timestamp and body), like the webhooks we send. The signed
// body names the refund and the delivery, so a captured callback cannot be replayed against another refund, and a
// repeated delivery changes nothing (docs/refund-callbacks.md).
import type { APIRoute } from 'astro';
import { SIGNATURE_HEADER, verifyWebhook } from '#src/auth/webhook-signature.ts';
import { execute } from '#src/commands/command.ts';
import { refusalStatus } from '#src/commands/refusal-status.ts';
import { config } from '#src/config/config.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { parseId } from '#src/input/ids.ts';
import { recordRefundCallback } from '#src/refunds/refund-commands.ts';

/** Who a verified callback is: the system, acting on the shop platform's signed word. */
const SHOP_PLATFORM = { kind: 'system', name: 'refund-callback' } as const;

export const POST: APIRoute = async ({ params, request, locals }) => {
  const secret = config().REFUND_WEBHOOK_SECRET;
  if (!secret) return Response.json({ error: 'refund callbacks are not configured' }, { status: 404 });
  // An address that names no refund is unknown before anything is read.
  const id = parseId(params.id);
  if (id === null) return Response.json({ error: 'unknown refund' }, { status: 404 });
  const body = await request.text();
  if (body.length > 10_000) return Response.json({ error: 'body too large' }, { status: 413 });
  if (!verifyWebhook(secret, body, request.headers.get(SIGNATURE_HEADER)))
    return Response.json({ error: 'invalid signature' }, { status: 401 });
  let report: unknown;
  try {
    report = JSON.parse(body);
  } catch {
    return Response.json({ error: 'body is not JSON' }, { status: 400 });
  }
  // The report's fields as the platform names them, and the refund its address names (which the body must match).
  const raw = { ...(report as object), refundInAddress: id };
  const result = await execute(recordRefundCallback, locals.db, raw, SHOP_PLATFORM);
  if (result.ok) return Response.json({ ok: true });
  // A repeated delivery, or a repeated "sent" report, changes nothing: answer success so the platform stops retrying.
  if (result.reason === 'duplicate_delivery' || result.reason === 'already_sent') return Response.json({ ok: true, unchanged: true });
  return Response.json({ error: describeRefusal('record-refund-callback', result, raw) }, { status: refusalStatus(result.reason) });
};
