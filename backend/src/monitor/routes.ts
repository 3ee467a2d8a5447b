import { Router } from 'express';
import { calendarDay, DomainError, linkDays, percentOf, summarizeUtilization } from '@extranet/topology';
import { parseInput } from '../http/errors';
import type { Store } from '../neo4j/store';
import type { Poller } from '../poller/poller';
import { coverageView, loadCoverage } from './coverage-service';
import { readDeviceStatus } from './device-store';
import { readDays, readLinkRow, readSamples } from './history-store';
import { coverageQuery, DEFAULT_RANGE_MS, hostnameParam, linkIdParam, MAX_RANGE_MS, utilizationQuery } from './schema';

/**
 * The monitoring API (mounted under /api):
 * - `GET /coverage` — per tier and county-level unit, internet exit, overall, gaps, SPOFs;
 * - `GET /links/:id/utilization?from&to` — samples, current, peaks (% of capacity), per-day p95;
 * - `GET /devices/:hostname/status` — poll status, last success, last error, interfaces.
 * Reads Neo4j only, so it works in a process that does not poll (other shards write).
 */
export interface MonitorRouterOptions {
  /** ms since the epoch. Default: the poller's clock, else Date.now. */
  clock?: () => number;
  /** Staleness limit of measurements, ms. Default: the poller's, else 180 000 (3 × 60 s). */
  maxAgeMs?: number;
  /** Day boundary, minutes east of UTC. Default 480. */
  utcOffsetMinutes?: number;
}

export function monitorRouter(store: Store, poller?: Poller, opts: MonitorRouterOptions = {}): Router {
  const clock = opts.clock ?? poller?.clock ?? Date.now;
  const maxAgeMs = opts.maxAgeMs ?? poller?.maxAgeMs ?? 180_000;
  const offset = opts.utcOffsetMinutes ?? 480;
  const r = Router();

  r.get('/coverage', async (req, res) => {
    parseInput(coverageQuery, req.query);
    const now = clock();
    res.json(coverageView(await loadCoverage(store, { now, maxAgeMs }), now));
  });

  r.get('/links/:id/utilization', async (req, res) => {
    const id = parseInput(linkIdParam, req.params.id);
    const q = parseInput(utilizationQuery, req.query);
    const now = clock();
    const to = q.to !== undefined ? Date.parse(q.to) : now;
    const from = q.from !== undefined ? Date.parse(q.from) : to - DEFAULT_RANGE_MS;
    if (!(from < to)) {
      throw new DomainError('BAD_REQUEST', 'from must be before to', { field: 'from', hint: 'e.g. ?from=2025-03-04T00:00:00+08:00&to=2025-03-05T00:00:00+08:00' });
    }
    if (to - from > MAX_RANGE_MS) {
      throw new DomainError('BAD_REQUEST', `the range may span at most ${MAX_RANGE_MS / 86_400_000} days`, {
        field: 'to',
        hint: 'ask for a shorter range; older days are summarised under `daily`',
      });
    }
    const fromDay = calendarDay(from, offset);
    const toDay = calendarDay(to - 1, offset);
    const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`) - offset * 60_000;
    const data = await store.read(async (tx) => {
      const link = await readLinkRow(tx, id);
      if (!link) return undefined;
      // Whole days around the range, so each day's p95 is the day's, not the range's slice of it.
      const around = await readSamples(tx, id, dayStart(fromDay), dayStart(toDay) + 86_400_000);
      return { link, around, rollups: await readDays(tx, id, fromDay, toDay) };
    });
    if (!data) throw new DomainError('NOT_FOUND', `no link with id ${id}`, { field: 'id', hint: 'see GET /api/links' });

    const samples = data.around.filter((s) => s.at >= from && s.at < to);
    const summary = summarizeUtilization(samples, now, maxAgeMs);
    const fromSamples = linkDays(data.around, { utcOffsetMinutes: offset }).filter((d) => d.day >= fromDay && d.day <= toDay);
    const seen = new Set(fromSamples.map((d) => d.day));
    const daily = [
      ...fromSamples.map((d) => ({ ...d, source: 'samples' as const })),
      ...data.rollups.filter((d) => !seen.has(d.day)).map((d) => ({ ...d, source: 'rollup' as const })),
    ].sort((x, y) => (x.day < y.day ? -1 : 1));
    const iso = (ms: number) => new Date(ms).toISOString();
    res.json({
      link: { ...data.link, polledAt: data.link.polledAt === null ? null : iso(data.link.polledAt) },
      from: iso(from),
      to: iso(to),
      samples: samples.map((s) => ({
        at: iso(s.at),
        inBps: s.inBps,
        outBps: s.outBps,
        capacityMbps: s.capacityMbps || null,
        inPct: percentOf(s.inBps, s.capacityMbps) ?? null,
        outPct: percentOf(s.outBps, s.capacityMbps) ?? null,
      })),
      current: summary.current ? { ...summary.current, at: iso(summary.current.at) } : null,
      peak: summary.peak
        ? { in: { ...summary.peak.in, at: iso(summary.peak.in.at) }, out: { ...summary.peak.out, at: iso(summary.peak.out.at) } }
        : null,
      daily,
    });
  });

  r.get('/devices/:hostname/status', async (req, res) => {
    const hostname = parseInput(hostnameParam, req.params.hostname);
    const view = await store.read((tx) => readDeviceStatus(tx, hostname));
    if (!view) throw new DomainError('NOT_FOUND', `no device with hostname ${hostname}`, { field: 'hostname', hint: 'see GET /api/sites/:code for the devices of a site' });
    const sched = poller?.devices().find((d) => d.hostname === hostname);
    res.json({
      ...view,
      schedule: sched ? { intervalMs: sched.intervalMs, nextPollAt: new Date(sched.nextDueAt).toISOString() } : null,
    });
  });
  return r;
}
