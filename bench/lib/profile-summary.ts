// `node bench/lib/profile-summary.ts FILE.cpuprofile [--skip-ms N] [--top N]`: where a server's CPU time went.
// Self time grouped by package (PGlite's wasm, drizzle-orm, Astro's bundle, node core…) and the top functions, as
// shares of the busy (non-idle) time, optionally skipping the first N ms (start-up) of the profile. Profiles come
// from `npm run bench -- --cpu-prof DIR`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; samples: number[]; timeDeltas: number[] };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'skip-ms': { type: 'string', default: '0' }, top: { type: 'string', default: '25' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: node bench/lib/profile-summary.ts FILE.cpuprofile [--skip-ms N] [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const skipUs = Number(values['skip-ms']) * 1000;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

const selfUs = new Map<number, number>();
let at = profile.startTime;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i] ?? 0;
  if (at - profile.startTime < skipUs) continue;
  const us = profile.timeDeltas[i + 1] ?? 0;
  const id = profile.samples[i] as number;
  selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  total += us;
}

function category(node: Node): string {
  const url = node.callFrame.url;
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1] === '@electric-sql/pglite' ? 'PGlite (JS)' : (pkg[1] as string);
  if (url.startsWith('wasm')) return 'PGlite (wasm)';
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/dist/server/'))
    return `astro build: ${url
      .split('/')
      .pop()
      ?.replace(/_[\w-]{8}\.mjs$/, '')}`;
  if (!url) return node.callFrame.functionName || '(native)';
  return url.replace(/^file:\/\/.*?\/(src|db|bench)\//, '$1/');
}

const byCategory = new Map<string, number>();
const byFunction = new Map<string, number>();
let idle = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id) as Node;
  if (node.callFrame.functionName === '(idle)') {
    idle += us;
    continue;
  }
  const c = category(node);
  byCategory.set(c, (byCategory.get(c) ?? 0) + us);
  const f = `${node.callFrame.functionName || '(anonymous)'}  ${c}`;
  byFunction.set(f, (byFunction.get(f) ?? 0) + us);
}
const show = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${((100 * us) / (total - idle)).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log(
  `${file}: ${((total - idle) / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled (shares of the busy time)\n\nby package\n${show(byCategory, 20)}\n\ntop functions\n${show(byFunction, Number(values.top))}`,
);
