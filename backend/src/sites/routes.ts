import { Router } from 'express';
import { z } from 'zod';
import { DomainError } from '@extranet/topology';
import { parseInput } from '../http/errors';
import type { Store } from '../neo4j/store';
import { getSite, listSites, siteExists } from './store';

const siteCode = z.string().regex(/^[0-9A-Z]{4,12}$/, 'a site code: 4–12 digits or capital letters (e.g. 441302, 4413DYW)');
const listQuery = z.strictObject({
  tier: z.enum(['city', 'county', 'township']).optional(),
  parent: siteCode.optional(),
});

export function sitesRouter(store: Store): Router {
  const r = Router();
  r.get('/sites', async (req, res) => {
    const q = parseInput(listQuery, req.query);
    if (q.parent && !(await siteExists(store, q.parent))) {
      throw new DomainError('NOT_FOUND', `no site with code ${q.parent}`, { field: 'parent' });
    }
    const items = await listSites(store, q);
    res.json({ items, total: items.length });
  });
  r.get('/sites/:code', async (req, res) => {
    const code = parseInput(siteCode, req.params.code);
    const site = await getSite(store, code);
    if (!site) throw new DomainError('NOT_FOUND', `no site with code ${code}`, { field: 'code' });
    res.json(site);
  });
  return r;
}
