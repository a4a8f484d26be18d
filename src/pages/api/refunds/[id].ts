// The shop platform reports back on a refund it was asked to make: sent (with its reference) or failed (with why).
// Authenticated by the shared webhook secret (HMAC over timestamp and body), like the webhooks we send. The signed
// body names the refund and the delivery, so a captured callback cannot be replayed against another refund, and a
// repeated delivery changes nothing (docs/refund-callbacks.md).
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { SIGNATURE_HEADER, verifyWebhook } from '#src/auth/webhook-signature.ts';
import { config } from '#src/config/config.ts';
import { dateText } from '#src/input/calendar-date.ts';
import { idNumber, parseId } from '#src/input/ids.ts';
import { text } from '#src/input/text.ts';
import { markRefundFailed, markRefundSent } from '#src/refunds/mark-refund-sent.ts';

const common = { id: text({ min: 1, max: 200 }), refundId: idNumber };
const Report = z.discriminatedUnion('status', [
  z.object({
    ...common,
    status: z.literal('sent'),
    reference: text({ min: 1, max: 200 }),
    sentOn: dateText,
  }),
  z.object({ ...common, status: z.literal('failed'), reason: text({ min: 1, max: 500, multiline: true }) }),
]);

export const POST: APIRoute = async ({ params, request, locals }) => {
  const secret = config().REFUND_WEBHOOK_SECRET;
  if (!secret) return Response.json({ error: 'refund callbacks are not configured' }, { status: 404 });
  const id = parseId(params.id);
  if (id === null) return Response.json({ error: 'unknown refund' }, { status: 404 });
  const body = await request.text();
  if (body.length > 10_000) return Response.json({ error: 'body too large' }, { status: 413 });
  if (!verifyWebhook(secret, body, request.headers.get(SIGNATURE_HEADER)))
    return Response.json({ error: 'invalid signature' }, { status: 401 });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return Response.json({ error: 'body is not JSON' }, { status: 400 });
  }
  const parsed = Report.safeParse(json);
  if (!parsed.success)
    return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, { status: 400 });
  if (parsed.data.refundId !== id) return Response.json({ error: 'refundId: does not match the refund in the address' }, { status: 400 });
  const db = locals.db;
  const actor = { type: 'api' as const, id: 'shop-platform' };
  const deliveryId = parsed.data.id;
  const result =
    parsed.data.status === 'sent'
      ? await markRefundSent(db, { refundId: id, reference: parsed.data.reference, sentOn: parsed.data.sentOn, actor, deliveryId })
      : await markRefundFailed(db, { refundId: id, reason: parsed.data.reason, actor, deliveryId });
  if (result.ok) return Response.json({ ok: true });
  if (result.reason === 'not_found') return Response.json({ error: 'unknown refund' }, { status: 404 });
  // A repeated delivery, or a repeated "sent" report, changes nothing: answer success so the platform stops retrying.
  if (result.reason === 'duplicate_delivery' || result.reason === 'already_sent') return Response.json({ ok: true, unchanged: true });
  const why: Record<string, string> = {
    invalid_date: 'sentOn: not a real date',
    date_in_future: "sentOn: after today in the store's time zone",
  };
  return Response.json({ error: why[result.reason] ?? result.reason }, { status: 400 });
};
