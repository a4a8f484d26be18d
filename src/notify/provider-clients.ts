// Builds the Resend and Twilio SDK clients, optionally aimed at another base URL (a local fake provider).
import { Resend } from 'resend';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';

/**
 * Resend's SDK takes `baseUrl` itself (and reads RESEND_BASE_URL when none is given). It has no timeout option:
 * pass `signal: AbortSignal.timeout(ms)` in each call's request options.
 */
export function createResendClient(opts: { apiKey: string; baseUrl?: string }): Resend {
  return new Resend(opts.apiKey, opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/+$/, '') } : undefined);
}

/** Twilio's SDK request client with every request's origin (and any path prefix) replaced by `baseUrl`. */
class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #base: URL;

  constructor(baseUrl: string, options: RequestClient.RequestClientOptions) {
    super(options);
    this.#base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    const rewritten = new URL(this.#base.href);
    rewritten.pathname = this.#base.pathname.replace(/\/+$/, '') + target.pathname;
    rewritten.search = target.search;
    return super.request<TData>({ ...opts, uri: rewritten.href });
  }
}

/**
 * Twilio's SDK has no base-URL option; a custom `httpClient` is its supported hook. `timeoutMs` bounds each
 * request (the SDK default is 30 s). The SDK's own 429 auto-retry stays off: the notifier owns retries.
 */
export function createTwilioClient(opts: { accountSid: string; authToken: string; baseUrl?: string; timeoutMs?: number }): twilio.Twilio {
  const clientOptions = { timeout: opts.timeoutMs, autoRetry: false };
  const httpClient = opts.baseUrl ? new BaseUrlRequestClient(opts.baseUrl, clientOptions) : new twilio.RequestClient(clientOptions);
  return twilio(opts.accountSid, opts.authToken, { httpClient });
}
