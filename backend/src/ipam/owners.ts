import type { ManagedTransaction } from 'neo4j-driver';
import { DomainError } from '@extranet/topology';
import { ownerSiteCodes, type OwnerRef } from './owner-store';

/**
 * Checks that an owner exists and returns the site codes it concerns (for the
 * history's by-site index): a site itself, a link's two end sites, an
 * interface's or device's site.
 *
 * @throws DomainError `NOT_FOUND` (field: the owner's kind) when there is no such owner.
 */
export async function ownerSites(tx: ManagedTransaction, owner: OwnerRef | null | undefined): Promise<string[]> {
  if (!owner) return [];
  const codes = await ownerSiteCodes(tx, owner);
  if (!codes) throw new DomainError('NOT_FOUND', `no ${owner.kind} ${owner.id}`, { field: owner.kind });
  return codes;
}
