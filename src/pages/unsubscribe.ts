// One-click unsubscribe from optional updates: POST per RFC 8058 (mail clients), GET shows a confirmation form.
import type { APIRoute } from 'astro';
import { validateOrderAccess } from '#src/auth/order-access.ts';
import { parseToken } from '#src/auth/secret-token.ts';
import { execute } from '#src/commands/command.ts';
import { customerPrincipal } from '#src/commands/principal.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { supportedLocale, translator } from '#src/i18n/translate.ts';
import { unsubscribeUpdates } from '#src/messages/unsubscribe-updates.ts';

const page = (locale: string, title: string, body: string, status: number) =>
  new Response(
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5"><main><h1>${title}</h1>${body}</main></body></html>`,
    { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } },
  );

const escapeAttribute = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const GET: APIRoute = ({ url, preferredLocale }) => {
  const token = url.searchParams.get('t') ?? '';
  const locale = supportedLocale(preferredLocale);
  const t = translator(locale);
  // Only the shape is checked here (a GET must not unsubscribe, RFC 8058): a link that cannot be a token says so at once.
  if (!parseToken(token)) return page(locale, t('unsubscribe.expired.title'), `<p>${t('unsubscribe.expired.body')}</p>`, 400);
  return page(
    locale,
    t('unsubscribe.confirm.title'),
    `<p>${t('unsubscribe.confirm.body')}</p><form method="post"><input type="hidden" name="t" value="${escapeAttribute(token)}"><button type="submit" style="font:inherit;padding:.6rem 1rem">${t('unsubscribe.confirm.submit')}</button></form>`,
    200,
  );
};

export const POST: APIRoute = async ({ url, request, preferredLocale, locals }) => {
  const locale = supportedLocale(preferredLocale);
  const t = translator(locale);
  const form = await request.formData().catch(() => null);
  const token = url.searchParams.get('t') ?? (typeof form?.get('t') === 'string' ? String(form?.get('t')) : undefined);
  const expired = (body: string) => page(locale, t('unsubscribe.expired.title'), `<p>${body}</p>`, 400);
  const now = new Date();
  const access = await validateOrderAccess(locals.db, token, 'unsubscribe', now);
  if (!access) return expired(t('unsubscribe.expired.body'));
  const raw = { orderId: access.orderId };
  const result = await execute(unsubscribeUpdates, locals.db, raw, customerPrincipal(access), now);
  // Any refusal is a link that no longer works for this order: the same page, in the reader's language.
  if (!result.ok) return expired(describeRefusal('unsubscribe-updates', result, raw, locale));
  return page(locale, t('unsubscribe.done.title'), `<p>${t('unsubscribe.done.body')}</p>`, 200);
};
