// `npm run worker`: a notifier-only process for PostgreSQL deployments (any number may share one database).
import { runWorkerProcess } from './worker-process.ts';

await runWorkerProcess();
