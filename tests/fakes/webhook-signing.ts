// Signs webhooks the way Resend (Svix) and Twilio do, and posts them, for the fake providers and webhook tests.
import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A fresh Svix-style secret: `whsec_` + base64 of 24 random bytes. */
export function newSvixSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256(id.timestamp.body)>` keyed with the base64-decoded part of the secret after `whsec_`. */
export function svixSignature(secret: string, id: string, timestamp: number | string, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export type SvixHeaders = { 'svix-id': string; 'svix-timestamp': string; 'svix-signature': string };

/** The three headers of one Svix delivery; `timestamp` is in Unix seconds (default: now). */
export function svixHeaders(opts: { secret: string; body: string; id?: string; timestamp?: number }): SvixHeaders {
  const id = opts.id ?? `msg_${randomBytes(16).toString('hex')}`;
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  return { 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': svixSignature(opts.secret, id, timestamp, opts.body) };
}

/**
 * X-Twilio-Signature: base64 HMAC-SHA1 keyed with the auth token over the exact public URL followed by every POST
 * parameter as name+value, names sorted (a repeated name contributes each distinct value, sorted).
 */
export function twilioSignature(authToken: string, publicUrl: string, params: Record<string, string | string[]>): string {
  let data = publicUrl;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value ?? ''];
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

/** Form-encodes params as Twilio posts them (`application/x-www-form-urlencoded`). */
export function formBody(params: Record<string, string | string[]>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  }
  return form.toString();
}

export type WebhookResponse = { status: number; body: string };

/** POSTs raw bytes without a pooled agent, so nothing stays open after the answer. */
export function postWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs = 10_000): Promise<WebhookResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`webhook POST to ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
