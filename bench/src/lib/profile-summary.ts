import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; benchMarkUs?: number }

/** Self time per function and per package/area of a .cpuprofile: where the time goes. */
export const summariseProfile = (file: string, top = 25): string => {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Leave out what happened before the load started (start-up), when the hook marked it.
  let clock = 0;
  p.samples.forEach((s, i) => {
    clock += p.timeDeltas[i] ?? 0;
    if (p.benchMarkUs !== undefined && clock < p.benchMarkUs) return;
    self.set(s, (self.get(s) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  let total = 0;
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  for (const [id, t] of self) {
    total += t;
    const n = byId.get(id)!;
    const url = n.callFrame.url;
    const short = url.replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/dist\//, '');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${short}:${n.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + t);
    const a = url === '' ? n.callFrame.functionName : url.includes('/node_modules/')
      ? url.replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
      : url.startsWith('node:') ? 'node internals' : url.replace(/^.*\/dist\/((apps|libs|bench)\/[^/]+\/src\/[^/]+).*$/, '$1');
    area.set(a, (area.get(a) ?? 0) + t);
  }
  const pct = (t: number): string => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
  const lines = [`total sampled: ${(total / 1000).toFixed(0)} ms`, '', 'by area:'];
  for (const [k, t] of [...area].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${pct(t)}  ${k}`);
  lines.push('', 'by function (self time):');
  for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${k}`);
  return lines.join('\n');
};

if (require.main === module) console.log(summariseProfile(process.argv[2], Number(process.argv[3] ?? 25)));
