/**
 * One shard of our poller in its own process, as `extranet serve --shard i/N`
 * runs one: an {@link OurPoller} limited to its shard's agents, driven by
 * {@link ShardedPoller} over the IPC channel. Not an entry point for people.
 */
import { performance } from 'node:perf_hooks';
import { OurPoller, type OurPollerOptions } from './ours';
import type { RoundResult } from './types';
import type { ShardReply, ShardRequest } from './sharded';

const poller = new OurPoller(JSON.parse(process.argv[2] ?? '{}') as OurPollerOptions);

/** Rounds until `ms` from now (no poll starts later), summed; at least one round. */
async function runFor(n: number, ms: number): Promise<RoundResult> {
  const stopAt = performance.now() + ms;
  const sum: RoundResult = { polls: 0, interfacePolls: 0, failures: 0, errors: [], requests: 0 };
  do {
    const r = await poller.round(n, stopAt);
    sum.polls += r.polls;
    sum.interfacePolls += r.interfacePolls;
    sum.failures += r.failures;
    sum.requests = (sum.requests ?? 0) + (r.requests ?? 0);
    if (sum.errors.length < 5) sum.errors.push(...r.errors.slice(0, 5 - sum.errors.length));
    if (r.polls === 0) break; // no agent of this shard among the first n
  } while (performance.now() < stopAt);
  return sum;
}

async function answer(m: ShardRequest): Promise<unknown> {
  switch (m.type) {
    case 'round':
      return m.ms === undefined ? poller.round(m.n) : runFor(m.n, m.ms);
    case 'ready':
      return poller.ready(m.n);
    case 'reset':
      poller.resetHistory();
      return null;
    case 'stats':
      return poller.takeStats();
    case 'percentiles':
      return poller.percentiles();
    case 'close':
      poller.close();
      return null;
  }
}

process.on('message', (m: ShardRequest) => {
  answer(m).then(
    (value) => process.send?.({ id: m.id, value } satisfies ShardReply),
    (e: unknown) => process.send?.({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies ShardReply),
  );
});
process.on('disconnect', () => {
  poller.close();
  process.exit(0);
});
