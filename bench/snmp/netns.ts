import { execFileSync } from 'node:child_process';

/**
 * The interfaces snmpd serves, created in the benchmark's private network
 * namespace (`unshare -rn`: root only inside it, nothing reaches the host's
 * network). Inside a user+network namespace the kernel allows veth, bridge,
 * ifb and tap links (dummy, macvlan and vlan are refused). They vanish with
 * the namespace; nothing here needs cleaning up.
 *
 * The set: `lo` (where all the SNMP traffic flows, so its counters move),
 * veth pairs (up, 10 Gb/s ifHighSpeed) and ifb links (up, speed unknown),
 * `perAgent` in all. Every snmpd in the namespace serves this same table.
 */

export interface NamespaceInterfaces {
  /** ifName of every interface, in creation order (lo first). */
  names: string[];
  /** What kinds were used: `veth+ifb`, or a fallback when the kernel lacks ifb. */
  kinds: string;
}

function ipBatch(commands: string[]): void {
  execFileSync('ip', ['-batch', '-'], { input: `${commands.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Throws unless running inside a fresh network namespace (only `lo`, and it down) — never touches the host's links. */
function assertPrivateNamespace(): void {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':')[1]?.trim().split('@')[0]);
  if (links.length !== 1 || links[0] !== 'lo') {
    throw new Error(`refusing to create interfaces: not in a fresh network namespace (links: ${links.join(', ')})`);
  }
}

/**
 * Creates `perAgent − 1` links besides lo (half veth, as pairs, half ifb), all up.
 * Falls back to veth only, then to tap, when a kind is unavailable.
 */
export function createInterfaces(perAgent: number): NamespaceInterfaces {
  assertPrivateNamespace();
  ipBatch(['link set lo up']);
  const extra = perAgent - 1;
  const pairs = Math.floor(extra / 4); // about half of the links as veth pairs
  const veth: string[] = [];
  for (let i = 0; i < pairs; i++) veth.push(`ve${i}a`, `ve${i}b`);
  const tryBatch = (cmds: string[]): boolean => {
    try {
      ipBatch(cmds);
      return true;
    } catch {
      return false;
    }
  };
  const vethCmds = (names: string[]) =>
    names
      .flatMap((n, i) => (i % 2 === 0 ? [`link add ${n} type veth peer name ${names[i + 1]}`] : []))
      .concat(names.map((n) => `link set ${n} up`));

  let kinds = 'veth+ifb';
  const ifbCount = extra - veth.length;
  const ifb = Array.from({ length: ifbCount }, (_, i) => `ifb${i}`);
  if (tryBatch(vethCmds(veth)) && tryBatch(ifb.flatMap((n) => [`link add ${n} type ifb`, `link set ${n} up`]))) {
    return { names: ['lo', ...veth, ...ifb], kinds };
  }
  // Start again from a clean table with the fallbacks.
  for (const n of [...veth, ...ifb]) tryBatch([`link del ${n}`]);
  const all = Array.from({ length: extra - (extra % 2) }, (_, i) => `ve${Math.floor(i / 2)}${i % 2 === 0 ? 'a' : 'b'}`);
  if (tryBatch(vethCmds(all))) {
    kinds = 'veth';
    const names = ['lo', ...all];
    if (extra % 2 === 1 && tryBatch(['tuntap add tap0 mode tap'])) names.push('tap0');
    return { names, kinds };
  }
  for (const n of all) tryBatch([`link del ${n}`]);
  const taps = Array.from({ length: extra }, (_, i) => `tap${i}`);
  ipBatch(taps.map((n) => `tuntap add ${n} mode tap`));
  return { names: ['lo', ...taps], kinds: 'tap (no carrier: ifOperStatus lowerLayerDown)' };
}
