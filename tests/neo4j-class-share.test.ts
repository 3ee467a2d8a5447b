import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classShare, classShareArchive } from '../backend/src/neo4j/class-share';
import { startEmbedded } from '../backend/src/neo4j/embedded';
import { Store } from '../backend/src/neo4j/store';
import { loadConfig } from '../backend/src/config';

const JAVA = 'openjdk version "17" (a test)';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-cds-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("the embedded Neo4j's class-data archive (real JVMs)", () => {
  it('one process makes it (the lock), a second meanwhile starts without; a dump that fails leaves no archive and no lock', async () => {
    const dir = path.join(work, 'lock');
    const first = classShare(dir, 'a.jar', JAVA);
    expect(first.args).toEqual(['-XX:+RecordDynamicDumpInfo']);
    const archive = classShareArchive(dir, 'a.jar', JAVA);
    expect(fs.readFileSync(`${archive}.lock`, 'utf8')).toBe(String(process.pid));
    expect(classShare(dir, 'a.jar', JAVA).args).toEqual([]); // locked by a live process
    first.ready(2 ** 22 + 12_345); // no such JVM: jcmd fails
    await first.settled;
    expect(fs.readdirSync(dir)).toEqual([]);
    // A lock left by a process that died is taken over.
    fs.writeFileSync(`${archive}.lock`, String(spawnSync('true').pid));
    const again = classShare(dir, 'a.jar', JAVA);
    expect(again.args).toEqual(['-XX:+RecordDynamicDumpInfo']);
    again.ready(2 ** 22 + 12_345);
    await again.settled;
  });

  it('an archive the JVM cannot use is dropped (the JVM starts all the same)', () => {
    const dir = path.join(work, 'bad');
    const archive = classShareArchive(dir, 'b.jar', JAVA);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(archive, Buffer.alloc(100_000, 7));
    const lines: string[] = [];
    const share = classShare(dir, 'b.jar', JAVA, (l) => lines.push(l));
    expect(share.using).toBe(true);
    const jvm = spawnSync('java', [...share.args, '-version'], { encoding: 'utf8' });
    expect(jvm.status).toBe(0);
    for (const line of jvm.stdout.split('\n')) share.output(line);
    expect(share.using).toBe(false);
    expect(fs.existsSync(archive)).toBe(false);
    expect(lines.join('\n')).toMatch(/could not be used \(.*magic/);
  });

  it('the first start makes it, the next start uses it and serves queries', async () => {
    const classShareDir = path.join(work, 'cache');
    const start = (n: number) =>
      startEmbedded({ dataDir: path.join(work, `data${n}`), pageCache: '64m', heap: '512m', classShareDir, progress: () => {} });
    const first = await start(1);
    expect(first.classShare.using).toBe(false);
    await first.classShare.settled;
    await first.stop();
    expect(fs.readdirSync(classShareDir).filter((f) => f.endsWith('.jsa'))).toHaveLength(1);

    const second = await start(2);
    try {
      expect(second.classShare.using).toBe(true);
      const store = await Store.open({ ...loadConfig(), NEO4J_URI: second.uri, NEO4J_PASSWORD: second.credentials.password });
      try {
        expect(await store.read(async (tx) => (await tx.run('RETURN 1 + 1 AS n')).records[0]!.get('n'))).toBe(2);
      } finally {
        await store.close();
      }
    } finally {
      await second.stop();
    }
  });
});
