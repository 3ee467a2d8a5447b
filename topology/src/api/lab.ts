import { z } from 'zod';
import { LINK_TIERS } from '../plan/schema';
import { hostnameParam, noQuery } from './common';
import { endpoint } from './endpoint';

/** The lab of simulated routers: faults switched at run time. These endpoints exist only in lab mode. */

/** The faults the lab can switch on, a closed set (their effects: backend/src/lab/faults.ts). */
export const LAB_FAULTS = [
  'link-down',
  'speed-drop',
  'counter-reset',
  'discontinuity',
  'timeout',
  'saturation',
  'slow-reply',
  'zero-speed',
  'counter-backwards',
] as const;
export type LabFault = (typeof LAB_FAULTS)[number];

const activeFault = z.object({ hostname: z.string(), ifName: z.string().optional(), fault: z.enum(LAB_FAULTS), since: z.string() });
const faultList = z.object({ items: z.array(activeFault) });

export const listLabFaults = endpoint({
  method: 'GET',
  path: '/api/lab/faults',
  tag: 'lab',
  permission: 'read',
  labOnly: true,
  summary: 'Faults switched on, the faults available with their effect, and the links the lab serves below plan',
  query: noQuery,
  response: faultList.extend({
    available: z.array(
      z.object({ name: z.enum(LAB_FAULTS), scope: z.enum(['device', 'interface']), kind: z.enum(['state', 'event']), effect: z.string() }),
    ),
    shortfalls: z.array(
      z.object({
        hostname: z.string(),
        ifName: z.string(),
        tier: z.enum(LINK_TIERS),
        planMbps: z.number(),
        actualMbps: z.number(),
        linkId: z.string().optional(),
      }),
    ),
  }),
});

export const setLabFault = endpoint({
  method: 'POST',
  path: '/api/lab/faults',
  tag: 'lab',
  permission: 'operate',
  labOnly: true,
  summary: 'Switch one simulated fault on or off; answers with the faults on',
  body: z.strictObject({
    hostname: hostnameParam,
    ifName: z.string().min(1).max(128).optional(),
    fault: z.enum(LAB_FAULTS, { error: `fault must be one of ${LAB_FAULTS.join(', ')}` }),
    on: z.boolean({ error: 'on must be true or false' }),
  }),
  query: noQuery,
  response: faultList,
});
