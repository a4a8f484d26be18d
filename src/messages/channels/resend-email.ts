// E-mail through the Resend SDK: single or batch calls, each under the notification's idempotency key.
import type { Resend } from 'resend';
import type { EmailChannel, OutgoingEmail, SendOutcome } from './types.ts';

type ResendError = { statusCode: number | null; name: string; message: string } | null;

/** Maps Resend's `{ error }` answers to outcomes (the SDK returns errors, it never throws). */
export function classifyResendError(error: NonNullable<ResendError>, headers: Record<string, string> | null): SendOutcome {
  const status = error.statusCode;
  if (status === null || status === undefined) {
    // Timeout, reset or refused connection: it may have been accepted. The same key makes a retry safe.
    return { kind: 'retry', reason: `network: ${error.message}`, retryAfterMs: null, outcomeUnknown: true };
  }
  if (status === 429) {
    const seconds = Number(headers?.['retry-after']);
    return {
      kind: 'retry',
      reason: `429 ${error.name}`,
      retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : null,
      outcomeUnknown: false,
    };
  }
  if (status === 409 && error.name === 'concurrent_idempotent_requests') {
    return { kind: 'retry', reason: `409 ${error.name}`, retryAfterMs: 1000, outcomeUnknown: true };
  }
  if (status >= 500)
    return { kind: 'retry', reason: `${status} ${error.name}: ${error.message}`, retryAfterMs: null, outcomeUnknown: true };
  return { kind: 'failed', reason: `${status} ${error.name}: ${error.message}` };
}

export function resendEmail(client: Resend, timeoutMs = 15_000): EmailChannel {
  return {
    name: 'resend',
    maxBatch: 100,
    async send(batch: OutgoingEmail[], idempotencyKey: string): Promise<SendOutcome[]> {
      const signal = AbortSignal.timeout(timeoutMs);
      const payload = batch.map((m) => ({ from: m.from, to: [m.to], subject: m.subject, html: m.html, text: m.text, headers: m.headers }));
      if (payload.length === 1) {
        const result = await client.emails.send(payload[0] as (typeof payload)[number], { idempotencyKey, signal } as never);
        if (result.error)
          return [
            classifyResendError(
              result.error as NonNullable<ResendError>,
              (result as { headers?: Record<string, string> | null }).headers ?? null,
            ),
          ];
        return [{ kind: 'sent', providerId: result.data?.id ?? null }];
      }
      const result = await client.batch.send(payload, { idempotencyKey, signal } as never);
      if (result.error) {
        const outcome = classifyResendError(
          result.error as NonNullable<ResendError>,
          (result as { headers?: Record<string, string> | null }).headers ?? null,
        );
        return batch.map(() => outcome);
      }
      const ids = (result.data as { data?: Array<{ id: string }> } | null)?.data ?? [];
      return batch.map((_, i) => ({ kind: 'sent', providerId: ids[i]?.id ?? null }));
    },
  };
}
