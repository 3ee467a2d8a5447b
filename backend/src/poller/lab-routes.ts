import { DomainError, labApi } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import { FAULTS, LAB_FAULTS, LabError } from '../lab/faults';
import type { LabMode } from './lab-mode';

/** Lab misuse → the API's error set. */
function toDomain(e: LabError): DomainError {
  switch (e.code) {
    case 'UNKNOWN_DEVICE':
      return new DomainError('NOT_FOUND', e.message, { field: 'hostname' });
    case 'UNKNOWN_INTERFACE':
      return new DomainError('NOT_FOUND', e.message, { field: 'ifName' });
    case 'FAULT_SCOPE':
      return new DomainError('BAD_REQUEST', e.message, {
        field: 'ifName',
        hint: 'leave out ifName for device faults (counter-reset, timeout)',
      });
    default:
      return new DomainError('BAD_REQUEST', e.message, { field: 'fault' });
  }
}

/** Fault switching for the lab (declared in topology/src/api/lab.ts; mounted in lab mode only). */
export function labRoutes(lab: LabMode): Route[] {
  const faults = () => lab.faults().map((f) => ({ ...f, since: new Date(f.since).toISOString() }));
  return [
    route(labApi.listLabFaults, () => ({
      items: faults(),
      available: LAB_FAULTS.map((name) => ({ name, ...FAULTS[name] })),
      shortfalls: [...lab.lab.shortfalls],
    })),
    route(labApi.setLabFault, ({ body }) => {
      try {
        lab.setFault(body.hostname, body.ifName, body.fault, body.on);
      } catch (e) {
        if (e instanceof LabError) throw toDomain(e);
        throw e;
      }
      return { items: faults() };
    }),
  ];
}
