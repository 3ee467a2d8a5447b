import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SnmpV2cProfile, SnmpV3Profile } from '../../backend/src/snmp/profiles';
import { openSession } from '../../backend/src/snmp/session';

/**
 * Debian's Net-SNMP `snmpd` on a loopback port, with its own configuration
 * (never the system's: `-C`), so the poller is proven against an agent nobody
 * here wrote. Fresh random credentials per start; persistent state in a
 * temporary folder removed on stop.
 */

export const SNMPD = '/usr/sbin/snmpd';

export interface Snmpd {
  host: '127.0.0.1';
  port: number;
  v2c: SnmpV2cProfile;
  /** User `poller`, authPriv SHA/AES, as `createUser` in the configuration. */
  v3: SnmpV3Profile;
  /** What snmpd printed (its -Lo log), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** A UDP port free right now on 127.0.0.1 (the OS picks it). */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * Starts snmpd and resolves once it answers a v2c GET.
 * @throws Error when /usr/sbin/snmpd is missing (CI installs `snmpd`; locally: apt-get install -y snmpd snmp)
 */
export async function startSnmpd(): Promise<Snmpd> {
  if (!fs.existsSync(SNMPD)) {
    throw new Error(`${SNMPD} is missing: install Debian's Net-SNMP agent (apt-get install -y snmpd snmp); CI installs it`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-snmpd-'));
  const secret = () => randomBytes(9).toString('base64url');
  const v2c: SnmpV2cProfile = { name: 'snmpd-v2c', version: '2c', community: `c-${secret()}` };
  const v3: SnmpV3Profile = {
    name: 'snmpd-v3',
    version: '3',
    user: 'poller',
    level: 'authPriv',
    authProtocol: 'sha',
    authKey: `a-${secret()}`,
    privProtocol: 'aes',
    privKey: `p-${secret()}`,
  };
  const conf = path.join(dir, 'snmpd.conf');
  fs.writeFileSync(
    conf,
    [
      `rocommunity ${v2c.community} 127.0.0.1`,
      `createUser ${v3.user} SHA "${v3.authKey}" AES "${v3.privKey}"`,
      `rouser ${v3.user} authpriv`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  let output = '';
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 3 && child === undefined; attempt++) {
    port = await freeUdpPort();
    const p = spawn(
      SNMPD,
      [
        '-f',
        '-Lo',
        '-C',
        '-c',
        conf,
        '-p',
        path.join(dir, 'snmpd.pid'),
        `--persistentDir=${path.join(dir, 'persist')}`,
        `udp:127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIBS: '', MIBDIRS: '' } },
    );
    p.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    if (await answers(port, v2c, p)) child = p;
    else p.kill('SIGKILL');
  }
  if (child === undefined) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`snmpd did not start:\n${output}`);
  }
  const running = child;
  return {
    host: '127.0.0.1',
    port,
    v2c,
    v3,
    output: () => output,
    async stop() {
      if (running.exitCode === null && running.signalCode === null) {
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
        running.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls sysUpTime over v2c for up to 5 s; false if the process exits or never answers. */
async function answers(port: number, profile: SnmpV2cProfile, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && child.exitCode === null) {
    const s = openSession({ host: '127.0.0.1', port }, profile, { timeoutMs: 200, retries: 0 });
    try {
      await s.get(['1.3.6.1.2.1.1.3.0']);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      s.close();
    }
  }
  return false;
}
