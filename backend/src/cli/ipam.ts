import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { auditCli } from '../auth/audit';
import { DomainError, type AddressPlan } from '@extranet/topology';
import { loadConfig, resolveFromRoot } from '../config';
import { requireAddressPlan } from '../ipam/address-plan';
import { exportCsv, importCsv } from '../ipam/csv';
import { provision } from '../ipam/provision';
import { auditLog, freeOf, lookupAddress, utilizationOf } from '../ipam/queries';
import { allocateNext, assignPrefix, releasePrefix } from '../ipam/service';
import { Store } from '../neo4j/store';

type Out = (line: string) => void;
export interface IpamArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

export const ipamUsage = `  extranet ipam provision [--site CODE] [--reason R]   allocate every site, link and loopback by the address plan (repeatable)
  extranet ipam allocate VRF PARENT LENGTH [--count N] [--first-fit] [--key K] [--status S] [--role R] [--reason R]
  extranet ipam assign VRF CIDR [--status S] [--role R] [--reason R]   record a specific prefix (reserve: --status reserved)
  extranet ipam release VRF CIDR --reason R [--recursive [--confirm CIDR]]   a root block recursively: name it again
  extranet ipam free VRF CIDR | utilization VRF CIDR | lookup ADDRESS | audit VRF CIDR | audit --site CODE
  extranet ipam export [--vrf V] > prefixes.csv | import FILE [--vrf V]   NetBox prefix CSV`;

/** `extranet ipam …`: the same operations as /api/ipam, as the current OS user. */
export async function ipamCommand({ positionals, values }: IpamArgs, out: Out): Promise<number> {
  const [sub, ...args] = positionals;
  const config = loadConfig();
  const dir = resolveFromRoot(config.PLAN_DIR);
  const actor = `${os.userInfo().username}@cli`;
  const reason = typeof values.reason === 'string' ? values.reason : '';
  const str = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined);
  const need = (n: number, what: string) => {
    if (args.length < n) throw new DomainError('BAD_REQUEST', `usage: extranet ipam ${sub} ${what}`);
  };
  let addressPlan: AddressPlan | undefined;
  const plan = async () => (addressPlan ??= await requireAddressPlan(dir));
  const known = ['provision', 'allocate', 'assign', 'release', 'free', 'utilization', 'lookup', 'audit', 'export', 'import'];
  if (!sub || !known.includes(sub)) {
    out(`usage:\n${ipamUsage}`);
    return 2;
  }
  const store = await Store.open(config, (l) => process.stderr.write(`${l}\n`));
  const json = (v: unknown) => out(JSON.stringify(v, null, 2));
  try {
    const code = await (async (): Promise<number> => {
      switch (sub) {
        case 'provision': {
          const site = str('site');
          const r = await provision(store, await plan(), {
            actor,
            reason: reason || 'provision by policy',
            ...(site && { sites: [site] }),
          });
          out(
            r.created.length
              ? `provisioned ${r.created.length} prefixes:`
              : 'nothing to do: everything the policy asks for is already allocated.',
          );
          for (const c of r.created) out(`  + ${c.vrf.padEnd(7)} ${c.cidr.padEnd(28)} ${c.role.padEnd(10)} ${c.owner ?? ''}`);
          return 0;
        }
        case 'allocate': {
          need(3, 'VRF PARENT LENGTH');
          const key = str('key');
          const r = await allocateNext(store, await plan(), {
            vrf: args[0]!,
            parent: args[1]!,
            length: Number(args[2]),
            count: Number(str('count') ?? 1),
            strategy: values['first-fit'] ? 'first-fit' : 'best-fit',
            status: (str('status') ?? 'active') as 'active',
            ...(str('role') && { role: str('role')! }),
            ...(key && { requestKey: key }),
            actor,
            reason,
          });
          for (const p of r.prefixes) out(`${r.replayed ? '= ' : '+ '}${p.vrf} ${p.cidr}`);
          return 0;
        }
        case 'assign':
          need(2, 'VRF CIDR');
          json(
            await assignPrefix(store, await plan(), {
              vrf: args[0]!,
              cidr: args[1]!,
              status: (str('status') ?? 'active') as 'active',
              ...(str('role') && { role: str('role')! }),
              actor,
              reason,
            }),
          );
          return 0;
        case 'release':
          need(2, 'VRF CIDR --reason R');
          if (!reason) throw new DomainError('BAD_REQUEST', 'say why: --reason "…"', { field: 'reason' });
          for (const c of await releasePrefix(store, {
            vrf: args[0]!,
            cidr: args[1]!,
            recursive: Boolean(values.recursive),
            ...(str('confirm') && { confirm: str('confirm')! }),
            // The CLI runs on the server with the database's credentials: an administrator's.
            role: 'admin',
            actor,
            reason,
          }))
            out(`- ${c}`);
          return 0;
        case 'free':
          need(2, 'VRF CIDR');
          json(await freeOf(store, args[0]!, args[1]!));
          return 0;
        case 'utilization':
          need(2, 'VRF CIDR');
          json(await utilizationOf(store, args[0]!, args[1]!));
          return 0;
        case 'lookup':
          need(1, 'ADDRESS');
          json(await lookupAddress(store, args[0]!, str('vrf')));
          return 0;
        case 'audit':
          json(
            await auditLog(store, {
              ...(args[0] && { vrf: args[0] }),
              ...(args[1] && { cidr: args[1] }),
              ...(str('site') && { site: str('site')! }),
            }),
          );
          return 0;
        case 'export':
          process.stdout.write(await exportCsv(store, str('vrf')));
          return 0;
        case 'import':
          need(1, 'FILE');
          json(
            await importCsv(
              store,
              await plan(),
              await readFile(args[0]!, 'utf8'),
              { actor, reason: reason || `CSV import ${args[0]}` },
              str('vrf'),
            ),
          );
          return 0;
        default:
          return 2;
      }
    })();
    // The same audit as the API's writes, with the OS user as actor.
    if (code === 0 && CLI_WRITES.has(sub)) {
      await auditCli(store, {
        actor: `cli:${os.userInfo().username}`,
        action: `ipam ${sub}`,
        target: args.join(' ') || null,
        after: { args, reason },
      });
    }
    return code;
  } finally {
    await store.close();
  }
}

const CLI_WRITES = new Set(['provision', 'allocate', 'assign', 'release', 'import']);
