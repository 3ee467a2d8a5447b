import {
  DomainError,
  decodeFree,
  formatPrefixCsv,
  markUsedMany,
  parsePrefix,
  parsePrefixImport,
  planPrefixImport,
  type AddressPlan,
  type ImportPlan,
} from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { recordEvents } from './event-store';
import { listPrefixes } from './queries';
import { checkPolicy, type Who } from './service';
import { createPrefixTree, existingSiteCodes, lockPrefixes, movePrefixes, prefixTree } from './import-store';
import { setFree } from './store';
import { ipamWrite } from './changes';

/** Export in NetBox's prefix import columns. */
export async function exportCsv(store: Store, vrf?: string): Promise<string> {
  const rows = await listPrefixes(store, { ...(vrf && { vrf }), limit: 1_000_000 });
  return formatPrefixCsv(
    rows.map((p) => ({
      prefix: p.cidr,
      vrf: p.vrf,
      status: p.status,
      role: p.role,
      description: p.description,
      site: p.owner?.kind === 'site' ? p.owner.id : '',
    })),
  );
}

/** History entries per statement. */
const EVENT_BATCH = 5_000;
/**
 * An import's transaction may run this many times the configured limit
 * (NEO4J_TX_TIMEOUT_MS): 50,000 rows take about 25 s on two idle cores.
 */
const IMPORT_TIMEOUT_FACTOR = 4;

/**
 * Imports NetBox prefix CSV in ONE transaction; any bad row and nothing is
 * written, the error naming the CSV line. Every row passes the rules of
 * `POST /api/ipam/prefixes` ({@link parsePrefixImport}) and the same checks as
 * recording one prefix ({@link planPrefixImport}); prefixes already recorded
 * in their domain are skipped. Linear: the domains' tree is read once, planned
 * in memory, the containers that receive prefixes are locked (as an
 * allocation locks its parent) and everything is written in batches.
 */
export async function importCsv(store: Store, plan: AddressPlan | undefined, text: string, who: Who, defaultVrf = 'public') {
  const rows = parsePrefixImport(text, defaultVrf);
  if (!rows.length) return { created: 0, skipped: 0 };
  const vrfs = [...new Set(rows.map((r) => r.vrf))];
  const checkLength = (pool: string, family: 4 | 6, length: number, role: string | undefined) =>
    checkPolicy(plan, pool, family, length, role);
  return ipamWrite(
    store,
    async (tx) => {
      // Plan, lock the stored containers the plan writes into, and plan again on what the locks now hold;
      // until no new container turns up (a prefix allocated meanwhile may be a deeper container).
      const locked = new Map<string, string[]>();
      let planned: ImportPlan;
      for (;;) {
        planned = planPrefixImport(await prefixTree(tx, vrfs), rows, { plan, checkLength });
        const missing = planned.filled.filter((f) => !locked.has(`${f.vrf} ${f.cidr}`));
        if (!missing.length) break;
        for (const l of await lockPrefixes(tx, missing)) locked.set(`${l.vrf} ${l.cidr}`, l.free);
      }
      const sites = await existingSiteCodes(tx, [...new Set(planned.created.flatMap((c) => (c.row.site ? [c.row.site] : [])))]);
      const unknown = planned.created.find((c) => c.row.site && !sites.has(c.row.site));
      if (unknown) {
        throw new DomainError('NOT_FOUND', `CSV line ${unknown.row.line} (${unknown.row.cidr}): no site ${unknown.row.site}`, {
          field: `csv:${unknown.row.line}`,
        });
      }
      await createPrefixTree(
        tx,
        planned.created.map((c) => ({
          vrf: c.row.vrf,
          parent: c.parent,
          prefix: c.row.prefix,
          status: c.row.status,
          role: c.role,
          pool: c.pool,
          description: c.row.description,
          free: c.free,
          owner: c.row.site ? { kind: 'site' as const, id: c.row.site } : null,
        })),
        who.actor,
      );
      await movePrefixes(tx, planned.moved);
      await setFree(
        tx,
        planned.filled.map((f) => {
          const prefix = parsePrefix(f.cidr);
          return { vrf: f.vrf, prefix, free: markUsedMany(prefix, decodeFree(locked.get(`${f.vrf} ${f.cidr}`)!), f.blocks) };
        }),
      );
      for (let i = 0; i < planned.created.length; i += EVENT_BATCH) {
        await recordEvents(
          tx,
          planned.created.slice(i, i + EVENT_BATCH).map((c) => ({
            action: 'import' as const,
            vrf: c.row.vrf,
            cidr: c.row.cidr,
            actor: who.actor,
            reason: who.reason,
            status: c.row.status,
            role: c.role,
            sites: c.row.site ? [c.row.site] : [],
          })),
        );
      }
      return { created: planned.created.length, skipped: planned.skipped };
    },
    { timeoutMs: IMPORT_TIMEOUT_FACTOR * store.txTimeoutMs },
  );
}
