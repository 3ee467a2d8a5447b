/**
 * Summarizes a V8 `.cpuprofile` (from `npm run bench -- snmp --profile`):
 * self time by function and by file/package, and total (inclusive) time of
 * the functions that matter to the poll path.
 *
 *   npx tsx bench/snmp/profile-summary.ts /tmp/extranet-bench-snmp-profile-XXXX/CPU…cpuprofile [top] [skip-seconds]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function short(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length);
  const m = /\/work\/[^/]+\/(.*)$/.exec(url) ?? /\/(backend|topology|bench)\/.*$/.exec(url);
  return m ? (m[1] ?? m[0]) : url || '(native)';
}

export function summarizeProfile(file: string, top = 30, skipSeconds = 0): string {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Samples before `skipSeconds` (start-up: tsx compiling, agents starting) are left out.
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t < skipSeconds * 1e6) continue;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, v]) => a + v, 0);
  const busy = total - idle;

  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    fnSelf.set(key(n), (fnSelf.get(key(n)) ?? 0) + ms);
    const u = short(n.callFrame.url);
    const bucket = u.startsWith('net-snmp') ? 'net-snmp (BER, PDU, session)' : u.split(':')[0]!.split('/').slice(0, 3).join('/');
    fileSelf.set(bucket, (fileSelf.get(bucket) ?? 0) + ms);
  }
  // Inclusive time per function name (each sample counted once per function on its stack).
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const k = `${n.callFrame.functionName || '(anonymous)'}  ${short(n.callFrame.url)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + ms);
    }
  }
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
  const sorted = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
  const out = [`${file}`, `busy ${busy.toFixed(0)} ms of ${total.toFixed(0)} ms sampled`, '', 'self time by function:'];
  for (const [k, ms] of sorted(fnSelf, top)) out.push(`  ${pct(ms)}  ${k}`);
  out.push('', 'self time by file / package:');
  for (const [k, ms] of sorted(fileSelf, 15)) out.push(`  ${pct(ms)}  ${k}`);
  out.push('', 'inclusive time (share of busy time with the function on the stack):');
  for (const [k, ms] of sorted(incl, top)) out.push(`  ${pct(ms)}  ${k}`);
  return out.join('\n');
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, top, skip] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/snmp/profile-summary.ts FILE.cpuprofile [top] [skip-seconds]');
    process.exitCode = 2;
  } else console.log(summarizeProfile(file, Number(top ?? 30), Number(skip ?? 0)));
}
