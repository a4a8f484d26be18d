// Vitest global setup: migrates one template database per run, which each test file then copies cheaply.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '#db/client.ts';

/** One template per target database, so two runs against one server (say, two checkouts) keep out of each other's way. */
export const TEMPLATE_DB = process.env.DATABASE_URL
  ? `porchlight_template_${new URL(process.env.DATABASE_URL).pathname.slice(1).replace(/\W/g, '_')}`
  : 'porchlight_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
    await admin.end();
    const template = await openDatabase({ url: withDatabase(url, TEMPLATE_DB), max: 1 });
    await template.migrate();
    await template.close();
    project.provide('pgliteSnapshot', '');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-test-'));
  const database = await openDatabase({ memory: true });
  await database.migrate();
  const pglite = (database as unknown as { pglite: import('@electric-sql/pglite').PGlite }).pglite;
  const dump = await pglite.dumpDataDir('none');
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteSnapshot', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
