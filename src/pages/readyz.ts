// Readiness for load balancers and orchestrators: 200 when the database answers, every migration is applied and the
// notifier loop is alive (unless NOTIFIER=off); 503 naming the check that failed. No session, nothing personal.
import type { APIRoute } from 'astro';
import { runtimeDatabase } from '#db/runtime.ts';
import { config } from '#src/config/config.ts';
import { checkReadiness, type Readiness, watchedNotifier } from '#src/observability/readiness.ts';

const answer = (body: Readiness | { ready: false; checks: { database: { ok: false; reason: string } } }) =>
  new Response(JSON.stringify({ status: body.ready ? 'ready' : 'not ready', checks: body.checks }), {
    status: body.ready ? 200 : 503,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });

export const GET: APIRoute = async () => {
  let database: Awaited<ReturnType<typeof runtimeDatabase>>;
  try {
    database = await runtimeDatabase();
  } catch {
    // Only under `astro dev`, where the first request opens the database.
    return answer({ ready: false, checks: { database: { ok: false, reason: 'could not be opened' } } });
  }
  return answer(await checkReadiness({ db: database.db, notifier: watchedNotifier(), notifierRequired: config().NOTIFIER === 'on' }));
};
