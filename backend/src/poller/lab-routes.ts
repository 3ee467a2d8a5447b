import { Router } from 'express';
import { z } from 'zod';
import { DomainError } from '@extranet/topology';
import { parseInput } from '../http/errors';
import { FAULTS, LAB_FAULTS, LabError } from '../lab/faults';
import type { LabMode } from './lab-mode';

/**
 * Fault switching for the lab, over HTTP (mounted under /api, in lab mode only):
 * - `GET /lab/faults` — faults on, the faults available with their effect, the links served below plan;
 * - `POST /lab/faults {hostname, ifName?, fault, on}` — switch one; answers with the faults on.
 */
const faultBody = z.strictObject({
  hostname: z.string().min(1),
  ifName: z.string().min(1).optional(),
  fault: z.enum(LAB_FAULTS, { error: `fault must be one of ${LAB_FAULTS.join(', ')}` }),
  on: z.boolean({ error: 'on must be true or false' }),
});

/** Lab misuse → the API's error set. */
function toDomain(e: LabError): DomainError {
  switch (e.code) {
    case 'UNKNOWN_DEVICE':
      return new DomainError('NOT_FOUND', e.message, { field: 'hostname' });
    case 'UNKNOWN_INTERFACE':
      return new DomainError('NOT_FOUND', e.message, { field: 'ifName' });
    case 'FAULT_SCOPE':
      return new DomainError('BAD_REQUEST', e.message, { field: 'ifName', hint: 'leave out ifName for device faults (counter-reset, timeout)' });
    default:
      return new DomainError('BAD_REQUEST', e.message, { field: 'fault' });
  }
}

export function labRouter(lab: LabMode): Router {
  const r = Router();
  const faults = () => lab.faults().map((f) => ({ ...f, since: new Date(f.since).toISOString() }));
  r.get('/lab/faults', (_req, res) => {
    res.json({
      items: faults(),
      available: LAB_FAULTS.map((name) => ({ name, ...FAULTS[name] })),
      shortfalls: lab.lab.shortfalls,
    });
  });
  r.post('/lab/faults', (req, res) => {
    const b = parseInput(faultBody, req.body ?? {});
    try {
      lab.setFault(b.hostname, b.ifName, b.fault, b.on);
    } catch (e) {
      if (e instanceof LabError) throw toDomain(e);
      throw e;
    }
    res.json({ items: faults() });
  });
  return r;
}
