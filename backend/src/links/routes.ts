import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/errors';
import type { Store } from '../neo4j/store';
import { listLinks } from './store';

const listQuery = z.strictObject({
  tier: z.enum(['city-internet', 'city-county', 'county-township']).optional(),
  status: z.enum(['planned', 'built']).optional(),
  kind: z.enum(['uplink', 'backup', 'internet-exit']).optional(),
  site: z.string().regex(/^[0-9A-Z]{4,12}$/, 'a site code').optional(),
});

export function linksRouter(store: Store): Router {
  const r = Router();
  r.get('/links', async (req, res) => {
    const items = await listLinks(store, parseInput(listQuery, req.query));
    res.json({ items, total: items.length });
  });
  return r;
}
