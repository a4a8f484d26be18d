// `npm run bench [-- --quick] [--only order-page] [--json results.json] [--cpu-prof DIR]`: runs the benchmarks in sequence and
// prints one summary. PGlite always; PostgreSQL as well when DATABASE_URL is set. Results: docs/benchmarks.md.
// To add a benchmark: write a module exporting a `Bench` (bench/lib/types.ts) and list it in BENCHES.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { footprint } from './footprint.ts';
import type { Bench, ResultRow } from './lib/types.ts';
import { notifierBench } from './notifier.ts';
import { orderPage } from './order-page.ts';

const BENCHES: Bench[] = [orderPage, notifierBench, footprint];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('npm run bench -- [--quick] [--only NAME]... [--json FILE] [--cpu-prof DIR]\n');
  for (const b of BENCHES) console.log(`  ${b.name.padEnd(12)} ${b.description}`);
  process.exit(0);
}
const selected = values.only ? BENCHES.filter((b) => values.only?.includes(b.name)) : BENCHES;
if (selected.length === 0) {
  console.error(`no benchmark named ${values.only?.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s`;
const log = (message: string) => console.error(`[${elapsed()}] ${message}`);

function formatTable(rows: ResultRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k !== 'table')))];
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'NO') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [
    line(columns),
    `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
  ].join('\n');
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const loadAtStart = loadavg()[0] ?? 0;
if (loadAtStart > 0.5)
  log(`warning: load average ${loadAtStart.toFixed(2)} before the start: other work on this machine skews the results`);
log(`${machine}; databases: PGlite${databaseUrl ? ' + PostgreSQL' : ''}${values.quick ? '; --quick' : ''}`);

const results: { bench: string; rows: ResultRow[] }[] = [];
let failed = false;
for (const bench of selected) {
  log(`${bench.name}: ${bench.description}`);
  try {
    results.push({
      bench: bench.name,
      rows: await bench.run({
        quick: values.quick,
        databaseUrl,
        cpuProfDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
        log,
      }),
    });
  } catch (error) {
    failed = true;
    console.error(`${bench.name} failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
  }
}

console.log(
  `\nPorchlight benchmarks — ${new Date().toISOString()} — ${machine}${values.quick ? ' — QUICK RUN (not for the record)' : ''}\n`,
);
for (const { rows } of results) {
  const tables = [...new Set(rows.map((r) => r.table))];
  for (const table of tables) console.log(`${table}\n\n${formatTable(rows.filter((r) => r.table === table))}\n`);
}
console.log(
  // Only the load before the start says something about other work: the benchmark itself keeps about 2 processes busy.
  `total ${elapsed().trim()}; 1-minute load average before the start ${loadAtStart.toFixed(2)} (other work on the machine)`,
);
if (values.json)
  writeFileSync(values.json, `${JSON.stringify({ date: new Date().toISOString(), machine, quick: values.quick, results }, null, 2)}\n`);
process.exit(failed ? 1 : 0);
