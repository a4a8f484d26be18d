// Production entry: configuration → database → migrations (→ demo data) → web server; clean stop on SIGTERM.
import { existsSync } from 'node:fs';
import { openConfiguredDatabase } from '#db/client.ts';
import { setRuntimeDatabase } from '#db/runtime.ts';
import { isEmpty, seedDemo } from '#db/seed.ts';
import { transportHeaders } from '#src/auth/security-headers.ts';
import { ensureSetupLink } from '#src/auth/setup-token.ts';
import { controlSocketPath, startControlSocket } from '#src/cli/control-socket.ts';
import { configOrExit } from '#src/config/config.ts';
import { deliveryPlanOrExit, deliveryWarnings, describePlan, usesDevMailbox } from '#src/messages/channels/delivery-plan.ts';
import { notifierFromConfig } from '#src/messages/notifier/start-notifier.ts';
import { describeError } from '#src/observability/error-summary.ts';
import { installLogFormat, logFormatOf } from '#src/observability/log.ts';
import { watchNotifier } from '#src/observability/readiness.ts';
import { enableOrderPageCache } from '#src/orders/order-page-cache.ts';
import { seedDemoStaff } from '#src/staff/demo-staff.ts';
import { hasAnyStaff } from '#src/staff/staff-accounts.ts';

const started = performance.now();
// First, so that with LOG_FORMAT=json every line from here on (a configuration error too) is one JSON object.
installLogFormat(logFormatOf(process.env));
const cfg = configOrExit();
// Decided before anything opens: a production start without an e-mail provider stops here with the reason.
const plan = deliveryPlanOrExit(cfg);

const entry = new URL('./dist/server/entry.mjs', import.meta.url);
if (!existsSync(entry)) {
  console.error('No build found in dist/. Run `npm run build` first (npm start does it for you).');
  process.exit(1);
}

let database;
try {
  database = await openConfiguredDatabase(cfg);
  await database.migrate();
} catch (error) {
  console.error(describeError(error));
  process.exit(1);
}
setRuntimeDatabase(database);
// The order page reads through a cache that serves only what is sure to be current (decision 016).
await enableOrderPageCache(database.db);
// The embedded database admits one process: the CLI reaches it through this socket instead.
const control = database.kind === 'pglite' ? startControlSocket(database.db, controlSocketPath(cfg.DATA_DIR)) : null;

const seedWanted = cfg.DEMO_SEED === 'on' || (cfg.DEMO_SEED === 'auto' && database.kind === 'pglite');
if (seedWanted && (await isEmpty(database.db))) {
  const logins = await seedDemo(database.db);
  const staffLogins = await seedDemoStaff(database.db);
  console.log(`Seeded a demo store with ${logins.length} orders. Try a lookup at ${cfg.PUBLIC_URL}/ with:`);
  for (const scenario of ['on_time', 'delayed', 'late', 'cancelled_refunded']) {
    const login = logins.find((l) => l.scenario === scenario);
    if (login) console.log(`  order ${login.number}  ${login.email.padEnd(28)} (${scenario.replace('_', ' ')})`);
  }
  for (const login of logins.filter((l) => l.locale !== 'en')) {
    console.log(
      `  order ${login.number}  ${login.email.padEnd(28)} (${login.scenario.replace('_', ' ')}, in ${login.locale === 'de' ? 'German' : login.locale})`,
    );
  }
  console.log(`Staff console at ${cfg.PUBLIC_URL}/admin — demo sign-ins:`);
  for (const s of staffLogins) console.log(`  ${s.email.padEnd(28)} ${s.password}  (${s.role})`);
}

// Without staff (no demo, a real database) only whoever reads this output may create the owner (decision 013).
if (!(await hasAnyStaff(database.db))) ensureSetupLink(cfg.PUBLIC_URL, (m) => console.log(m));

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
process.env.PORT ??= String(cfg.PORT);
process.env.HOST ??= cfg.HOST;
const { startServer } = await import(entry.href);
const { server } = startServer();
// The adapter serves /_astro assets (and its own 400s) without running our middleware: these headers go on before it runs.
const everyResponse = transportHeaders(cfg.PUBLIC_URL);
server.server.prependListener('request', (_req, res) => {
  for (const [name, value] of everyResponse) res.setHeader(name, value);
});
await new Promise((resolve) => (server.server.listening ? resolve() : server.server.once('listening', resolve)));

let notifier = null;
if (cfg.NOTIFIER === 'on') {
  notifier = notifierFromConfig(database.db, cfg).notifier;
  notifier.start();
  watchNotifier(notifier);
  console.log(`Notifier running: ${describePlan(plan)}`);
}
for (const warning of deliveryWarnings(plan)) console.warn(warning);
if (usesDevMailbox(plan)) console.log(`Dev mailbox (signed-in staff only): ${cfg.PUBLIC_URL}/dev/mailbox`);
console.log(`Porchlight listening on ${cfg.PUBLIC_URL} (${database.kind}) — ready in ${Math.round(performance.now() - started)} ms`);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await server.stop().catch(() => {});
  control?.close();
  await notifier?.stop();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
