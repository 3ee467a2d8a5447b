/**
 * A quick profile of where a write transaction's time goes, without touching
 * backend code: a Store look-alike whose `write` hands the real transaction
 * to the work wrapped in a proxy that times every statement. Services only
 * call `store.write`, so they run unchanged on it.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { Store } from '../../backend/src/neo4j/store';
import { since } from './report';

/** Milliseconds per step, summed over transactions; `server` is Neo4j's own time for the statement. */
export interface Profile {
  transactions: number;
  /** Client-observed: round trip + server work + driver decoding. */
  client: Map<string, number>;
  /** Server-reported (resultAvailableAfter + resultConsumedAfter). */
  server: Map<string, number>;
}

export const newProfile = (): Profile => ({ transactions: 0, client: new Map(), server: new Map() });

/** Mean milliseconds per transaction, for the JSON and the table. */
export function meanOf(p: Profile): { transactions: number; client: Record<string, number>; server: Record<string, number> } {
  const mean = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [k, v / Math.max(1, p.transactions)]));
  return { transactions: p.transactions, client: mean(p.client), server: mean(p.server) };
}

/** Names of the statements of the IPAM and the baseline; anything else is named by its first words. */
const STEPS: [RegExp, string][] = [
  [/^MATCH \(p:Prefix \{vrf: \$vrf, cidr: \$cidr\}\) SET p\._lock/, 'lockPrefix (lock + read parent)'],
  [/CREATE \(n:Prefix/, 'createPrefixes'],
  [/SET p\.free = x\.free/, 'setFree'],
  [/CREATE \(v:IpamEvent/, 'recordEvents'],
  [/^MATCH \(p:Prefix \{vrf: \$vrf, cidr: \$cidr\}\) RETURN/, 'getPrefix (read back)'],
  [/^MATCH \(p:Prefix\) WHERE p\.vrf IN \$vrfs AND p\.length/, 'lock all prefixes'],
  [/^MATCH \(p:Prefix\) WHERE p\.vrf IN \$vrfs\s+RETURN/, 'loadHeld (read all prefixes)'],
  [/CREATE \(:BenchRow/, 'raw CREATE'],
];

function stepName(query: string): string {
  return STEPS.find(([re]) => re.test(query))?.[1] ?? `«${query.replace(/\s+/g, ' ').trim().slice(0, 48)}…»`;
}

const toMs = (x: unknown): number => (typeof x === 'number' ? x : Number((x as { toNumber?: () => number })?.toNumber?.() ?? 0));

/**
 * Wraps `store` so that each write transaction adds to `profile`: every
 * statement (client and server time), the JS run inside the transaction
 * between statements, and begin + commit + session open/close around it.
 */
export function profilingStore(store: Store, profile: Profile): Store {
  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  return {
    async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
      const t0 = performance.now();
      let workMs = 0;
      let runMs = 0;
      const result = await store.write(async (tx) => {
        const timed = new Proxy(tx, {
          get: (target, prop) =>
            prop !== 'run'
              ? (Reflect.get(target, prop) as unknown)
              : async (query: string, params?: Record<string, unknown>) => {
                  const ts = performance.now();
                  const r = await target.run(query, params);
                  const ms = since(ts);
                  runMs += ms;
                  const name = stepName(query);
                  add(profile.client, name, ms);
                  add(profile.server, name, toMs(r.summary.resultAvailableAfter) + toMs(r.summary.resultConsumedAfter));
                  return r;
                },
        });
        const tw = performance.now();
        const value = await work(timed);
        workMs = since(tw);
        return value;
      });
      add(profile.client, 'JS inside the transaction', workMs - runMs);
      add(profile.client, 'begin + commit + session', since(t0) - workMs);
      add(profile.client, 'total', since(t0));
      profile.transactions++;
      return result;
    },
  } as unknown as Store;
}
