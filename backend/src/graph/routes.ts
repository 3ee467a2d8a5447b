import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/errors';
import type { Store } from '../neo4j/store';
import { readTopology } from './store';

export function topologyRouter(store: Store): Router {
  const r = Router();
  r.get('/topology', async (req, res) => {
    parseInput(z.strictObject({}), req.query);
    res.json(await readTopology(store));
  });
  return r;
}
