// Builds the Resend and Twilio SDK clients, optionally aimed at another base URL (a local fake provider).
import { Resend } from 'resend';
import twilio from 'twilio';
import { UndiciTwilioClient } from './twilio-http-client.ts';

/**
 * Resend's SDK takes `baseUrl` itself (and reads RESEND_BASE_URL when none is given). It has no timeout option:
 * pass `signal: AbortSignal.timeout(ms)` in each call's request options.
 */
export function createResendClient(opts: { apiKey: string; baseUrl?: string }): Resend {
  return new Resend(opts.apiKey, opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/+$/, '') } : undefined);
}

/**
 * Twilio's SDK has no base-URL option; a custom `httpClient` is its supported hook, which also carries the calls on
 * undici (decision 023). `timeoutMs` bounds each request (the SDK default is 30 s). The SDK's own 429 auto-retry
 * stays off: the notifier owns retries.
 */
export function createTwilioClient(opts: { accountSid: string; authToken: string; baseUrl?: string; timeoutMs?: number }): twilio.Twilio {
  const httpClient = new UndiciTwilioClient({ timeoutMs: opts.timeoutMs, baseUrl: opts.baseUrl });
  return twilio(opts.accountSid, opts.authToken, { httpClient });
}
