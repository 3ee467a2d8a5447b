import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Store } from '../neo4j/store';
import type { Poller } from '../poller/poller';
import type { CoverageModel, ReadModels } from '../readmodel/models';
import type { Snapshot } from '../readmodel/read-model';
import { collectMetrics, pollerFamilies } from './collect';
import { renderExposition } from './exposition';

/** One `/metrics` answer: the exposition text, its gzip and a strong ETag. */
export interface MetricsSnapshot {
  text: string;
  /** `text` in UTF-8, as it is sent. */
  bytes: Buffer;
  gzip: Buffer;
  etag: string;
}

/**
 * `/metrics` from memory. The exposition has two parts:
 * - what the store says (links, coverage, devices, interfaces), judged with
 *   the coverage read model's snapshot: rendered again only when that snapshot
 *   changes (a poll cycle of any process, a plan import, its time to live) —
 *   by the request that finds it changed; requests arriving meanwhile get the
 *   previous text (as the read models do);
 * - what only this process's poller knows (errors since start, the last cycle,
 *   the poll buffer), rendered per request from memory — a few lines — and
 *   compared with the last: the text, its gzip and ETag are made again only
 *   when either part changed, so a scrape costs a lookup, not a gzip of the
 *   whole exposition.
 */
export function metricsModel(
  store: Store,
  poller: Poller | undefined,
  models: ReadModels,
  maxAgeMs: number,
): () => Promise<MetricsSnapshot> {
  let storePart: { of: Snapshot<CoverageModel>; text: string } | undefined;
  let pending: { of: Snapshot<CoverageModel>; text: Promise<string> } | undefined;
  let last: { storeText: string; live: string; snapshot: MetricsSnapshot } | undefined;

  const storeText = async (): Promise<string> => {
    const coverage = await models.coverage.get();
    if (storePart?.of === coverage) return storePart.text;
    // Another request renders this snapshot already: the previous text of the same plan meanwhile.
    if (pending?.of === coverage && storePart?.of.version === coverage.version) return storePart.text;
    if (pending?.of !== coverage) {
      const text = collectMetrics(store, undefined, { now: coverage.value.now, maxAgeMs }, coverage.value).then(renderExposition);
      pending = { of: coverage, text };
      text.then(
        (t) => {
          if (!storePart || storePart.of.computedAt <= coverage.computedAt) storePart = { of: coverage, text: t };
        },
        () => undefined,
      );
      void text
        .finally(() => {
          if (pending?.of === coverage) pending = undefined;
        })
        .catch(() => undefined);
    }
    return pending.text;
  };

  return async () => {
    const text = await storeText();
    const live = poller ? renderExposition(pollerFamilies(poller)) : '';
    if (last?.storeText !== text || last.live !== live) {
      const whole = text + live;
      last = {
        storeText: text,
        live,
        snapshot: {
          text: whole,
          bytes: Buffer.from(whole),
          gzip: gzipSync(whole),
          etag: `"${createHash('sha256').update(whole).digest('base64url').slice(0, 27)}"`,
        },
      };
    }
    return last.snapshot;
  };
}
