// Starts the built server for end-to-end tests on a fresh database with demo data: a temp PGlite folder,
// or a recreated PostgreSQL database when DATABASE_URL is set.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import postgres from 'postgres';
import { e2eDatabaseUrl, e2eDataDir } from './e2e-env.ts';

const env: NodeJS.ProcessEnv = { ...process.env, DEMO_SEED: 'on', HOST: '127.0.0.1' };
let dataDir: string | undefined;
if (process.env.DATABASE_URL) {
  const name = new URL(e2eDatabaseUrl() as string).pathname.slice(1);
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  env.DATABASE_URL = e2eDatabaseUrl();
} else {
  dataDir = e2eDataDir();
  rmSync(dataDir, { recursive: true, force: true });
  env.DATA_DIR = dataDir;
}

const child = spawn(process.execPath, ['server.mjs'], { env, stdio: 'inherit' });
const stop = () => child.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code) => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}.sock`, { force: true });
  process.exit(code ?? 0);
});
