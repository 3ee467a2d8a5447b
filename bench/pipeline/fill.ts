import neo4j from 'neo4j-driver';
import { calendarDay } from '@extranet/topology';
import type { Store } from '../../backend/src/neo4j/store';

const HOUR_MS = 3_600_000;

/**
 * `--fill`: every link's bucket of the hour of `t0` written with `n` samples before it (spread over the
 * minutes before `t0`, 1 Gbps capacity, mid-range rates), as the poller would have left them.
 */
export async function fillBuckets(store: Store, ids: readonly string[], t0: number, n: number, say: (l: string) => void): Promise<void> {
  const hour = Math.floor(t0 / HOUR_MS) * HOUR_MS;
  const step = Math.max(1, Math.floor((t0 - hour) / (n + 1)));
  // Integers, as the poller writes them (history-store.ts appendSamples).
  const at = Array.from({ length: n }, (_, k) => neo4j.int(hour + k * step));
  const bps = Array.from({ length: n }, (_, k) => neo4j.int(2e8 + k * 1e6));
  const t = performance.now();
  for (let k = 0; k < ids.length; k += 5_000) {
    await store.write((tx) =>
      tx.run(
        `UNWIND $ids AS id MATCH (l:Link {id: id})
         CREATE (l)-[:HAS_BUCKET]->(:UtilBucket {linkId: id, hour: $hour, day: $day, at: $at, inBps: $bps, outBps: $bps, capacityMbps: $cap})`,
        { ids: ids.slice(k, k + 5_000), hour, day: calendarDay(hour, 480), at, bps, cap: at.map(() => neo4j.int(1000)) },
      ),
    );
  }
  say(`filled ${ids.length} buckets with ${n} samples each in ${Math.round(performance.now() - t)} ms`);
}
