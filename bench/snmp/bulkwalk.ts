import { spawn } from 'node:child_process';
import { PEER_COLUMNS, SYS_UPTIME } from './exporter';
import { occurrences, peerRound, type RoundResult } from './types';

/**
 * Peer 2: Net-SNMP's C `snmpbulkwalk` (5.9.3), the way LibreNMS-style pollers
 * run it. snmpbulkwalk walks ONE OID per run (extra OID arguments are silently
 * ignored: checked with 5.9.3), so one poll of an agent is one `sh` that runs
 * it for sysUpTime and each of the nine columns in turn — one process tree per
 * agent per round, at most `concurrency` at once. Numeric output (`-On`), no
 * MIB loading (`-m ''`, MIBS empty: Debian ships no IF-MIB anyway), same
 * max-repetitions, timeout and retries as the other tools. Interfaces are
 * counted as the ifHCInOctets rows printed.
 */

export const SNMPBULKWALK = '/usr/bin/snmpbulkwalk';

export function bulkwalkScript(o: { community: string; port: number; timeoutMs: number; retries: number; maxRepetitions: number }): string {
  const timeout = Math.max(1, Math.round(o.timeoutMs / 1000));
  const base = `${SNMPBULKWALK} -v2c -c ${o.community} -On -m '' -Cr${o.maxRepetitions} -t ${timeout} -r ${o.retries} 127.0.0.1:${o.port}`;
  return [SYS_UPTIME, ...Object.values(PEER_COLUMNS)].map((oid) => `${base} ${oid}`).join(' && ');
}

export function bulkwalkDriver(o: {
  agentPorts: number[];
  community: string;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  maxRepetitions: number;
}) {
  const marker = `\n.${PEER_COLUMNS.ifHCInOctets}.`;
  const scripts = o.agentPorts.map((port) => bulkwalkScript({ ...o, port }));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', MIBS: '', MIBDIRS: '', LANG: 'C' };
  const runOne = (script: string) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const c = spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env });
      const out: Buffer[] = [];
      let err = '';
      c.stdout.on('data', (d: Buffer) => out.push(d));
      c.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-500)));
      c.on('error', reject);
      c.on('close', (code) => resolve({ code, out: `\n${Buffer.concat(out).toString('latin1')}`, err }));
    });
  return {
    /** Polls the first `n` agents once each, `concurrency` at a time; no new poll starts after `stopAt` (performance.now()). */
    round: (n: number, stopAt = Infinity): Promise<RoundResult> =>
      peerRound(n, o.concurrency, stopAt, async (i) => {
        const r = await runOne(scripts[i]!);
        const count = occurrences(r.out, marker);
        if (r.code !== 0 || count === 0) throw new Error(`exit ${r.code}: ${r.err.trim() || r.out.slice(0, 200)}`);
        return { interfaces: count };
      }),
  };
}
