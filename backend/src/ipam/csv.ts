import { DomainError, formatPrefix, formatPrefixCsv, parsePrefix, parsePrefixCsv, type AddressPlan } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { listPrefixes } from './queries';
import { assignInTx, type Who } from './service';
import { getPrefix, type PrefixStatus } from './store';

/** Export in NetBox's prefix import columns. */
export async function exportCsv(store: Store, vrf?: string): Promise<string> {
  const rows = await listPrefixes(store, { ...(vrf && { vrf }), limit: 1_000_000 });
  return formatPrefixCsv(rows.map((p) => ({
    prefix: p.cidr, vrf: p.vrf, status: p.status, role: p.role, description: p.description,
    site: p.owner?.kind === 'site' ? p.owner.id : '',
  })));
}

/**
 * Imports NetBox prefix CSV in ONE transaction: shortest prefixes first (so
 * containers exist before what they hold); any bad row and nothing is written,
 * the error naming the CSV line. Prefixes already recorded in their domain are skipped.
 */
export async function importCsv(store: Store, plan: AddressPlan | undefined, text: string, who: Who, defaultVrf = 'public') {
  const rows = parsePrefixCsv(text).map((r) => {
    try {
      return { ...r, prefix: parsePrefix(r.row.prefix, { field: `csv:${r.line}` }) };
    } catch (e) {
      if (e instanceof DomainError) throw new DomainError(e.code, `CSV line ${r.line}: ${e.message}`, { field: `csv:${r.line}`, ...(e.hint && { hint: e.hint }) });
      throw e;
    }
  });
  rows.sort((a, b) => a.prefix.length - b.prefix.length || a.line - b.line);
  return store.write(async (tx) => {
    let created = 0;
    let skipped = 0;
    for (const r of rows) {
      const vrf = r.row.vrf || defaultVrf;
      if (await getPrefix(tx, vrf, formatPrefix(r.prefix))) {
        skipped++;
        continue;
      }
      try {
        await assignInTx(tx, plan, {
          vrf, cidr: r.row.prefix, status: r.row.status as PrefixStatus, description: r.row.description,
          ...(r.row.role && { role: r.row.role }),
          ...(r.row.site && { owner: { kind: 'site' as const, id: r.row.site } }),
          actor: who.actor, reason: who.reason,
        }, 'import');
        created++;
      } catch (e) {
        if (e instanceof DomainError) {
          throw new DomainError(e.code, `CSV line ${r.line} (${r.row.prefix}): ${e.message}`, {
            field: `csv:${r.line}`, ...(e.hint && { hint: e.hint }), ...(e.details && { details: e.details }),
          });
        }
        throw e;
      }
    }
    return { created, skipped };
  });
}
