// A notifier-only process for PostgreSQL deployments: config, migrations, the notifier loop, a graceful stop.
// `npm run worker` runs it as configured; bench/chaos.ts runs it with a short lease and backoff.
import { openConfiguredDatabase } from '#db/client.ts';
import { configOrExit } from '#src/config/config.ts';
import { installLogFormat, logFormatOf } from '#src/observability/log.ts';
import { deliveryPlanOrExit, deliveryWarnings, describePlan } from '../channels/delivery-plan.ts';
import { type NotifierTuning, notifierFromConfig } from './start-notifier.ts';

export async function runWorkerProcess(tuning: NotifierTuning = {}): Promise<void> {
  installLogFormat(logFormatOf(process.env));
  const cfg = configOrExit();
  if (!cfg.DATABASE_URL) {
    console.error('npm run worker needs DATABASE_URL: the embedded database allows one process, and npm start already runs the notifier.');
    process.exit(1);
  }
  const plan = deliveryPlanOrExit(cfg);
  const database = await openConfiguredDatabase(cfg);
  await database.migrate();
  const { notifier } = notifierFromConfig(database.db, cfg, console.log, tuning);
  notifier.start();
  for (const warning of deliveryWarnings(plan)) console.warn(warning);
  console.log(`Porchlight worker ${process.pid} ready, sending ${describePlan(plan)}`);

  let stopping = false;
  async function stop(signal: string) {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining sends in flight…`);
    await notifier.stop();
    await database.close();
    process.exit(0);
  }
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
