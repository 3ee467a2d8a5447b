import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { stopChild } from './agents';
import { processCpu } from './cpu';
import { occurrences, peerRound, type RoundResult } from './types';

/**
 * Peer 1: Prometheus snmp_exporter (Debian's 0.21.0), with a hand-written
 * module of numeric OIDs (Debian ships no IF-MIB for the generator) for the
 * columns the comparison is about, scraped over HTTP by a driver with the same
 * concurrency as our poller. Run from the package's binary on a port of the
 * namespace's 127.0.0.1, so a running system service never matters.
 */

export const EXPORTER = '/usr/bin/prometheus-snmp-exporter';
export const MODULE = 'if_bench';

/** The columns both peers read (our poller reads these plus ifDescr and ifAlias). */
export const PEER_COLUMNS = {
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifInErrors: '1.3.6.1.2.1.2.2.1.14',
  ifOutErrors: '1.3.6.1.2.1.2.2.1.20',
  ifInDiscards: '1.3.6.1.2.1.2.2.1.13',
  ifCounterDiscontinuityTime: '1.3.6.1.2.1.31.1.1.1.19',
} as const;
export const SYS_UPTIME = '1.3.6.1.2.1.1.3';

const TYPES: Record<keyof typeof PEER_COLUMNS, string> = {
  ifName: 'DisplayString',
  ifHighSpeed: 'gauge',
  ifHCInOctets: 'counter',
  ifHCOutOctets: 'counter',
  ifOperStatus: 'gauge',
  ifInErrors: 'counter',
  ifOutErrors: 'counter',
  ifInDiscards: 'counter',
  ifCounterDiscontinuityTime: 'gauge',
};

/** snmp.yml for 0.21 (auth per module; `auths:` came in 0.23), as the generator would write it for these columns. */
export function exporterConfig(o: { community: string; timeoutMs: number; retries: number; maxRepetitions: number }): string {
  const lines = [
    `${MODULE}:`,
    '  version: 2',
    `  max_repetitions: ${o.maxRepetitions}`,
    `  retries: ${o.retries}`,
    `  timeout: ${o.timeoutMs}ms`,
    '  auth:',
    `    community: ${o.community}`,
    '  get:',
    `  - ${SYS_UPTIME}.0`,
    '  walk:',
    ...Object.values(PEER_COLUMNS).map((oid) => `  - ${oid}`),
    '  metrics:',
    '  - name: sysUpTime',
    `    oid: ${SYS_UPTIME}`,
    '    type: gauge',
  ];
  for (const [name, oid] of Object.entries(PEER_COLUMNS) as Array<[keyof typeof PEER_COLUMNS, string]>) {
    lines.push(
      `  - name: ${name}`,
      `    oid: ${oid}`,
      `    type: ${TYPES[name]}`,
      '    indexes:',
      '    - labelname: ifIndex',
      '      type: gauge',
      '    lookups:',
      '    - labels: [ifIndex]',
      '      labelname: ifName',
      `      oid: ${PEER_COLUMNS.ifName}`,
      '      type: DisplayString',
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface Exporter {
  pid: number;
  port: number;
  cpu(): number;
  /** Scrapes the first `n` agents once each, `concurrency` at a time (none started after `stopAt`); counts ifHCInOctets series as interfaces. */
  round(n: number, stopAt?: number): Promise<RoundResult>;
  stop(): Promise<void>;
}

export async function startExporter(o: {
  dir: string;
  port: number;
  agentPorts: number[];
  concurrency: number;
  config: string;
  onSpawn: (pid: number, what: string) => void;
}): Promise<Exporter> {
  if (!fs.existsSync(EXPORTER)) throw new Error(`${EXPORTER} is missing: apt-get install -y prometheus-snmp-exporter`);
  const file = path.join(o.dir, 'snmp.yml');
  fs.writeFileSync(file, o.config, { mode: 0o600 });
  let output = '';
  const child: ChildProcess = spawn(EXPORTER, [`--config.file=${file}`, `--web.listen-address=127.0.0.1:${o.port}`, '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('snmp_exporter did not spawn');
  o.onSpawn(child.pid, 'snmp_exporter');
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });

  const get = (p: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: o.port, path: p, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error('scrape timed out')));
      req.on('error', reject);
    });

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`snmp_exporter exited (${child.exitCode}):\n${output}`);
    try {
      if ((await get('/')).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`snmp_exporter does not answer on 127.0.0.1:${o.port}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const marker = '\nifHCInOctets{';
  const packets = /\nsnmp_scrape_packets_sent(?:\{[^}]*\})? (\d+)/;
  return {
    pid: child.pid,
    port: o.port,
    cpu: () => processCpu(child.pid!),
    round: (n, stopAt = Infinity) =>
      peerRound(n, o.concurrency, stopAt, async (i) => {
        const r = await get(`/snmp?module=${MODULE}&target=127.0.0.1:${o.agentPorts[i]}`);
        const count = occurrences(r.body, marker);
        if (r.status !== 200 || count === 0) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
        const sent = packets.exec(r.body);
        return { interfaces: count, ...(sent && { requests: Number(sent[1]) }) };
      }),
    async stop() {
      agent.destroy();
      await stopChild(child);
    },
  };
}
