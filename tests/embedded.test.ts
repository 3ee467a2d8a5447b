import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../backend/src/config';
import { EmbeddedUnavailable, startEmbedded } from '../backend/src/neo4j/embedded';
import { pageCacheSize } from '../backend/src/neo4j/page-cache';
import { Store } from '../backend/src/neo4j/store';

describe('the embedded Neo4j launcher', () => {
  it('lets a second process of the product join the running server instead of fighting over the store lock', async (ctx) => {
    const dataDir = process.env.EXTRANET_TEST_NEO4J_DIR;
    if (!dataDir) ctx.skip(); // NEO4J_URI was given: no embedded server in this run
    const joined = await startEmbedded({ dataDir: dataDir!, pageCache: '64m', heap: '256m', progress: () => {} });
    expect(joined.owned).toBe(false);
    expect(joined.uri).toBe(process.env.NEO4J_URI);
    expect(joined.credentials.password).toBe(process.env.NEO4J_PASSWORD); // the owner's password file, read by the joiner
    await joined.stop(); // a joiner's stop leaves the server running
    const again = await startEmbedded({ dataDir: dataDir!, pageCache: '64m', heap: '256m', progress: () => {} });
    expect(again.owned).toBe(false);
  });

  it('gives Neo4j the page cache `auto` resolves to: a quarter of the machine memory', async (ctx) => {
    if (!process.env.EXTRANET_TEST_NEO4J_DIR) ctx.skip(); // NEO4J_URI was given: its page cache is that server's own
    const store = await Store.open({ ...loadConfig(), NEO4J_URI: process.env.NEO4J_URI });
    try {
      const set = await store.read(async (tx) => {
        const r = await tx.run("CALL dbms.listConfig('server.memory.pagecache.size') YIELD name, value RETURN value");
        return String(r.records[0]!.get('value'));
      });
      // Neo4j shows it rounded to two decimals of its unit ('5.88GiB'); the setting is in MiB ('6026m').
      const unit = { B: 1 / 2 ** 20, KiB: 1 / 1024, MiB: 1, GiB: 1024, TiB: 1024 ** 2 } as const;
      const [, n, u] = /^([\d.]+)(B|KiB|MiB|GiB|TiB)$/.exec(set) ?? [];
      expect(u, `Neo4j's page cache: ${set}`).toBeDefined();
      const mib = Number(n) * unit[u as keyof typeof unit];
      expect(Math.abs(mib - parseInt(pageCacheSize('auto'), 10))).toBeLessThan(mib * 0.005);
      expect(pageCacheSize('auto')).not.toBe('256m'); // this machine has more than 1 GB: the check above is not the floor
    } finally {
      await store.close();
    }
  });

  it('a process that joined takes the server over when the owner stops, and restarts it when it is killed: 503 at once, then the same data again', async (ctx) => {
    if (!process.env.EXTRANET_TEST_NEO4J_DIR) ctx.skip(); // NEO4J_URI was given: this run has no Java-started Neo4j to lean on
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-takeover-'));
    const config = { ...loadConfig(), NEO4J_URI: undefined, NEO4J_DATA_DIR: dataDir, NEO4J_HEAP: '256m', NEO4J_PAGECACHE: '32m' };
    const lines: string[] = [];
    const owner = await Store.open(config, () => {});
    let joiner: Store | undefined;
    try {
      joiner = await Store.open(config, (l) => lines.push(l));
      expect(joiner.uri).toBe(owner.uri);
      await owner.write((tx) => tx.run("CREATE (:Probe {name: 'before'})"));
      const first = joiner.uri;
      await owner.close(); // the owner stops, and its Neo4j with it

      await expect(joiner.read((tx) => tx.run('RETURN 1'))).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        hint: expect.stringMatching(/starting it again/),
      });
      await expect.poll(() => joiner!.ping(), { timeout: 120_000, interval: 1000 }).toBe(true);
      expect(lines.join('\n')).toMatch(/took over the embedded Neo4j/);
      expect(joiner.uri).not.toBe(first); // a new server, on a new port, over the same data
      const names = await joiner.read(async (tx) => (await tx.run('MATCH (p:Probe) RETURN p.name AS n')).records.map((r) => r.get('n')));
      expect(names).toEqual(['before']);

      // Now the owner: its Java process killed outright (kill -9), it answers 503 within 2 s and starts it again by itself.
      await joiner.write((tx) => tx.run("CREATE (:Probe {name: 'after'})"));
      const { launcherPid } = JSON.parse(fs.readFileSync(path.join(dataDir, 'bolt.json'), 'utf8')) as { launcherPid: number };
      const second = joiner.uri;
      process.kill(launcherPid, 'SIGKILL');
      const t0 = Date.now();
      await expect(
        (async () => {
          for (;;) await joiner.read((tx) => tx.run('RETURN 1')); // until the kill is seen
        })(),
      ).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', hint: expect.stringMatching(/again on the same data/) });
      expect(Date.now() - t0).toBeLessThan(2_000);
      await expect.poll(() => joiner!.ping(), { timeout: 120_000, interval: 1000 }).toBe(true);
      expect(lines.join('\n')).toMatch(/killed by SIGKILL; starting it again/);
      expect(joiner.uri).not.toBe(second);
      const all = await joiner.read(async (tx) =>
        (await tx.run('MATCH (p:Probe) RETURN p.name AS n ORDER BY n')).records.map((r) => r.get('n')),
      );
      expect(all).toEqual(['after', 'before']); // a committed write survives the kill (Neo4j recovers from its log)
    } finally {
      await owner.close();
      await joiner?.close(); // now the owner: stops the server it started
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 420_000); // three starts of Neo4j (the owner's, the takeover's, the restart after the kill): minutes on a busy 2-core machine

  it('names docker compose and NEO4J_URI when Java is missing', async () => {
    const path = process.env.PATH;
    const dataDir = fs.mkdtempSync(`${os.tmpdir()}/extranet-no-java-`); // it gets a password file before Java is looked for
    process.env.PATH = '/nonexistent';
    try {
      const err = await startEmbedded({ dataDir, pageCache: '64m', heap: '256m', progress: () => {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EmbeddedUnavailable);
      expect((err as Error).message).toMatch(/Java 17\+.*docker compose up.*NEO4J_URI/s);
    } finally {
      process.env.PATH = path;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
