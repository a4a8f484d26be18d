// `npm run porchlight -- <command>`: runs against the configured database, or through the running portal's
// control socket when the portal holds the embedded database.
import { existsSync } from 'node:fs';
import { openConfiguredDatabase } from '#db/client.ts';
import { DataDirLockedError } from '#db/data-dir-lock.ts';
import { configOrExit } from '#src/config/config.ts';
import { runCommand, usage, withAbsoluteFiles } from './commands.ts';
import { controlSocketPath, sendToControlSocket } from './control-socket.ts';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
  console.log(usage());
  process.exit(argv.length === 0 ? 2 : 0);
}

const cfg = configOrExit();

async function viaPortal(): Promise<number> {
  const result = await sendToControlSocket(controlSocketPath(cfg.DATA_DIR), withAbsoluteFiles(argv));
  (result.code === 0 ? console.log : console.error)(result.output);
  return result.code;
}

async function direct(): Promise<number> {
  const database = await openConfiguredDatabase(cfg);
  try {
    await database.migrate();
    const result = await runCommand(database.db, argv);
    (result.code === 0 ? console.log : console.error)(result.output);
    return result.code;
  } finally {
    await database.close();
  }
}

let code: number;
try {
  code = await direct();
} catch (error) {
  if (!(error instanceof DataDirLockedError)) throw error;
  if (!existsSync(controlSocketPath(cfg.DATA_DIR))) {
    console.error(`${error.message}\nIf the portal is still starting, try again in a few seconds.`);
    process.exit(1);
  }
  code = await viaPortal();
}
process.exit(code);
