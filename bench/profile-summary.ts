/**
 * Summarises a V8 CPU profile (`npm run bench -- --cpu-prof`): self time per function and per
 * package/file, the quickest way to see where a route spends its time.
 *
 *   node --import tsx bench/profile-summary.ts <file>.cpuprofile [--top 30] [--window 12-18]
 *
 * `--window a-b` keeps the samples taken between a and b seconds into the profile (the run prints
 * scenario phases in order: world set-up, then per scenario our route, then the bare route).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, window: { type: 'string' } },
});
const file = positionals[0];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top 30] [--window a-b]');
const top = Number(args.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

// Hits per node from the samples inside the window (timeDeltas are µs between samples).
const [fromS, toS] = (args.window ?? `0-${Number.MAX_SAFE_INTEGER}`).split('-').map(Number) as [number, number];
const hitsOf = new Map<number, number>();
let elapsedUs = 0;
let total = 0;
profile.samples.forEach((nodeId, index) => {
  elapsedUs += profile.timeDeltas[index] ?? 0;
  if (elapsedUs < fromS * 1e6 || elapsedUs > toS * 1e6) return;
  hitsOf.set(nodeId, (hitsOf.get(nodeId) ?? 0) + 1);
  total += 1;
});
console.log(`profile length ${(elapsedUs / 1e6).toFixed(1)} s, ${total} samples in the window`);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
/** Time in a function including everything it called (each sample counted once per function). */
const inclusive = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = hitsOf.get(node.id) ?? 0;
  if (!hits) continue;
  const name = frameName(node);
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  const where = frameWhere(node);
  const module = where.startsWith('/') ? where.replace(/^.*\/(src|bench)\//, '$1/') : where.split('/')[0] || node.callFrame.functionName;
  byModule.set(module, (byModule.get(module) ?? 0) + hits);
  const onStack = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) onStack.add(frameName(byId.get(id)!));
  for (const frame of onStack) inclusive.set(frame, (inclusive.get(frame) ?? 0) + hits);
}

function frameWhere(node: ProfileNode): string {
  return node.callFrame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '');
}
function frameName(node: ProfileNode): string {
  return `${node.callFrame.functionName || '(anonymous)'}  ${frameWhere(node)}:${node.callFrame.lineNumber + 1}`;
}
const print = (title: string, counts: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, hits] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
};
print('self time by package / file', byModule);
print('self time by function', byFunction);
print('inclusive time by function', inclusive);
