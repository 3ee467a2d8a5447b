import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sumStats, type OurPollerOptions, type OurStats } from './ours';
import type { RoundResult } from './types';

/**
 * Our poller as N shard processes (`extranet serve --shard i/N` — each takes
 * the agents whose hostname hashes to its shard), the way a multi-core poller
 * host runs it. Same interface as {@link OurPoller}, every call fanned out over
 * IPC and the answers merged. The agents in flight are split between the
 * shards (⌈concurrency / N⌉ each), so the whole never has more in flight than
 * the single process. CPU is the shard processes' own (`pids`).
 */

export type ShardRequest =
  | { id: number; type: 'round'; n: number; ms?: number }
  | { id: number; type: 'ready'; n: number }
  | { id: number; type: 'reset' | 'stats' | 'percentiles' | 'close' };
export type ShardReply = { id: number; value?: unknown; error?: string };
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

const here = path.dirname(fileURLToPath(import.meta.url));

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class ShardedPoller {
  readonly #children: ChildProcess[];
  readonly #pending = new Map<number, Pending>();
  #id = 0;

  /**
   * Starts `count` shard processes (inheriting this process's Node flags, e.g. --cpu-prof).
   * `runDir` goes on their command line, so that the run's clean-up can tell them
   * from a reused pid; `onSpawn` records each pid.
   */
  constructor(o: OurPollerOptions, count: number, runDir: string, onSpawn: (pid: number, what: string) => void) {
    const concurrency = Math.ceil(o.concurrency / count);
    this.#children = Array.from({ length: count }, (_, index) => {
      const child = fork(path.join(here, 'shard-child.ts'), [JSON.stringify({ ...o, concurrency, shard: { index, count } }), runDir], {
        execArgv: process.execArgv,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      if (child.pid !== undefined) onSpawn(child.pid, `our poller shard ${index}/${count}`);
      child.on('message', (m: ShardReply) => {
        const p = this.#pending.get(m.id);
        if (p === undefined) return;
        this.#pending.delete(m.id);
        if (m.error !== undefined) p.reject(new Error(`shard ${index}/${count}: ${m.error}`));
        else p.resolve(m.value);
      });
      child.on('exit', (code, signal) => {
        for (const p of this.#pending.values()) p.reject(new Error(`shard ${index}/${count} exited (${signal ?? code})`));
        this.#pending.clear();
      });
      return child;
    });
  }

  get pids(): number[] {
    return this.#children.flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  }

  #ask<T>(request: Unsent<ShardRequest>): Promise<T[]> {
    return Promise.all(
      this.#children.map(
        (child) =>
          new Promise<T>((resolve, reject) => {
            const id = ++this.#id;
            this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
            child.send({ ...request, id } satisfies ShardRequest);
          }),
      ),
    );
  }

  /**
   * Without `stopAt`: one round in every shard. With it: every shard polls its
   * agents round after round until `stopAt` (performance.now()), each at its
   * own pace (one shard never waits for the other between rounds).
   */
  async round(n: number, stopAt?: number): Promise<RoundResult> {
    const parts = await this.#ask<RoundResult>({
      type: 'round',
      n,
      ...(stopAt !== undefined && { ms: Math.max(0, stopAt - performance.now()) }),
    });
    return {
      polls: parts.reduce((a, r) => a + r.polls, 0),
      interfacePolls: parts.reduce((a, r) => a + r.interfacePolls, 0),
      failures: parts.reduce((a, r) => a + r.failures, 0),
      errors: parts.flatMap((r) => r.errors).slice(0, 5),
      requests: parts.reduce((a, r) => a + (r.requests ?? 0), 0),
    };
  }

  async ready(n: number): Promise<boolean> {
    return (await this.#ask<boolean>({ type: 'ready', n })).every(Boolean);
  }

  async resetHistory(): Promise<void> {
    await this.#ask({ type: 'reset' });
  }

  async takeStats(): Promise<OurStats> {
    return sumStats(await this.#ask<OurStats>({ type: 'stats' }));
  }

  async percentiles(): Promise<number> {
    return (await this.#ask<number>({ type: 'percentiles' })).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await this.#ask({ type: 'close' }).catch(() => undefined);
    for (const c of this.#children) c.disconnect();
  }
}
