import { readFileSync } from 'node:fs';
import type { Device } from '@extranet/topology';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { SnmpTarget } from '../snmp/session';

/**
 * Where the poller sends a device's SNMP requests. The poller never derives an
 * address itself: it asks a resolver, so tests hand it the lab's loopback ports
 * and only production resolves to `mgmtAddress:161`.
 */
export type TargetResolver = (device: Device) => SnmpTarget | undefined;

/** Standard SNMP agent port (RFC 3417). */
export const SNMP_PORT = 161;

/** Production: every device's `mgmtAddress` on port 161; devices without one have no target. */
export function mgmtTargets(port: number = SNMP_PORT): TargetResolver {
  return (d) => (d.mgmtAddress === undefined ? undefined : { host: d.mgmtAddress, port });
}

/** A fixed map by hostname (the lab's targets), optionally falling back to another resolver. */
export function mapTargets(map: ReadonlyMap<string, SnmpTarget>, fallback?: TargetResolver): TargetResolver {
  return (d) => map.get(d.hostname) ?? fallback?.(d);
}

const fileSchema = z.strictObject({
  targets: z.record(
    z.string(),
    z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'host:port, e.g. 10.44.255.1:161 or [fd00::1]:161'),
  ),
});

/**
 * Reads a targets file (`SNMP_TARGETS=path`): YAML or JSON `targets: {hostname: "host:port"}`.
 * @throws Error naming the file and the first bad entry
 */
export function loadTargetsFile(path: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): Map<string, SnmpTarget> {
  let doc: unknown;
  try {
    doc = parseYaml(read(path));
  } catch (e) {
    throw new Error(`SNMP_TARGETS: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`SNMP_TARGETS ${path}: ${i?.path.join('.') || 'file'}: ${i?.message ?? 'invalid'}`);
  }
  const out = new Map<string, SnmpTarget>();
  for (const [hostname, hp] of Object.entries(parsed.data.targets)) {
    const at = hp.lastIndexOf(':');
    out.set(hostname, { host: hp.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(hp.slice(at + 1)) });
  }
  return out;
}
