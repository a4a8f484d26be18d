// One-click unsubscribe from optional updates: POST per RFC 8058 (mail clients), GET shows a confirmation form.
import type { APIRoute } from 'astro';
import { runtimeDb } from '#db/runtime.ts';
import { unsubscribeFromUpdates } from '#src/app/unsubscribe-updates.ts';

const page = (title: string, body: string, status: number) =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5"><main><h1>${title}</h1>${body}</main></body></html>`,
    { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } },
  );

const escapeAttribute = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const GET: APIRoute = ({ url }) => {
  const token = url.searchParams.get('t') ?? '';
  return page(
    'Stop progress updates?',
    `<p>You will no longer get optional progress updates about your orders. Notices the law requires (such as a delay that needs your answer) and confirmations of what you ask for will still reach you.</p><form method="post"><input type="hidden" name="t" value="${escapeAttribute(token)}"><button type="submit" style="font:inherit;padding:.6rem 1rem">Stop updates</button></form>`,
    200,
  );
};

export const POST: APIRoute = async ({ url, request }) => {
  const form = await request.formData().catch(() => null);
  const token = url.searchParams.get('t') ?? (typeof form?.get('t') === 'string' ? String(form?.get('t')) : undefined);
  const result = await unsubscribeFromUpdates(await runtimeDb(), token);
  if (!result.ok) return page('Link expired', '<p>This unsubscribe link is not valid any more. Use the link in a newer message.</p>', 400);
  return page(
    'You are unsubscribed',
    '<p>You will no longer get optional progress updates. Legally required notices still reach you.</p>',
    200,
  );
};
