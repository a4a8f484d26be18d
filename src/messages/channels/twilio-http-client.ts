// The Twilio SDK's HTTP transport, on undici instead of the SDK's default axios client (decision 023).
import { readFileSync } from 'node:fs';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { type Dispatcher, EnvHttpProxyAgent, request } from 'undici';

type Options = { timeoutMs?: number | undefined; baseUrl?: string | undefined };

/** A request that got no HTTP answer (timeout, reset, refused): Twilio may or may not have acted on it. */
export class TwilioTransportError extends Error {
  readonly code: string;

  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TwilioTransportError';
    this.code = code;
  }
}

/** Form encoding as the SDK's own client does it (`qs`, arrays as repeated keys); values the SDK left undefined are dropped. */
function formEncode(data: Record<string, unknown> | undefined): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(data ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, String(v));
  }
  return form.toString();
}

/**
 * Trusts the CA bundle in the file TWILIO_CA_BUNDLE names (a TLS-inspecting proxy's CA, say) instead of the default
 * roots, as the SDK's own client does; read once, when the client is made.
 */
function agentOptions(): EnvHttpProxyAgent.Options {
  const bundle = process.env.TWILIO_CA_BUNDLE;
  if (!bundle) return {};
  const ca = readFileSync(bundle);
  // `connect` for direct connections, `requestTls` for those tunnelled through a proxy.
  return { connect: { ca }, requestTls: { ca } };
}

/**
 * Same contract as the SDK's RequestClient (`request(opts)` → `{ statusCode, body, headers }`, every status answered,
 * no redirects followed, Basic or strategy auth), so the SDK still builds, signs and parses every call. The default
 * client spends ~0.5 ms of CPU per request in axios; undici ~0.1–0.2 ms, which is what SMS dispatch is bound by
 * (one request per message). Proxies: HTTP_PROXY, HTTPS_PROXY and NO_PROXY (the SDK's client reads HTTP_PROXY); a CA
 * bundle: TWILIO_CA_BUNDLE, as with the SDK's client. It extends the SDK's class only for its type; the axios instance
 * the parent builds is never used.
 */
export class UndiciTwilioClient extends twilio.RequestClient {
  readonly #base: URL | null;
  readonly #dispatcher: Dispatcher = new EnvHttpProxyAgent(agentOptions());

  constructor(opts: Options = {}) {
    super({ timeout: opts.timeoutMs, autoRetry: false });
    this.#base = opts.baseUrl ? new URL(opts.baseUrl) : null;
  }

  /** A local fake provider takes the place of every Twilio host; its path prefix, if any, is kept. */
  #target(uri: string, params: Record<string, unknown> | undefined): string {
    const url = new URL(uri);
    if (this.#base) {
      const path = url.pathname;
      url.protocol = this.#base.protocol;
      url.host = this.#base.host;
      url.pathname = this.#base.pathname.replace(/\/+$/, '') + path;
    }
    const query = formEncode(params);
    if (query) url.search = url.search ? `${url.search}&${query}` : query;
    return url.href;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
    if (opts.username && opts.password) {
      headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    } else if (opts.authStrategy) {
      headers.Authorization = await opts.authStrategy.getAuthString();
    }
    const contentType = headers['Content-Type'];
    const data = opts.data as Record<string, unknown> | undefined;
    const body = data === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(data) : formEncode(data);
    // The parent keeps the configured timeout (30 s by default) as `defaultTimeout`, as its own requests use it.
    const timeoutMs = opts.timeout ?? this.defaultTimeout;
    try {
      const answer = await request(this.#target(opts.uri, opts.params as Record<string, unknown> | undefined), {
        dispatcher: this.#dispatcher,
        method: opts.method.toUpperCase() as Dispatcher.HttpMethod,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { statusCode: answer.statusCode, body: (await answer.body.text()) as TData, headers: answer.headers };
    } catch (error) {
      const e = error as { name?: string; code?: unknown; message?: string };
      if (e.name === 'TimeoutError') {
        throw new TwilioTransportError(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT', { cause: error });
      }
      const code = typeof e.code === 'string' ? e.code : 'ENETWORK';
      throw new TwilioTransportError(e.message ?? String(error), code, { cause: error });
    }
  }
}
