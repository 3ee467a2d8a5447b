import { describe, expect, it } from 'vitest';
import { EmbeddedUnavailable, startEmbedded } from '../backend/src/neo4j/embedded';

describe('the embedded Neo4j launcher', () => {
  it('lets a second process of the product join the running server instead of fighting over the store lock', async (ctx) => {
    const dataDir = process.env.EXTRANET_TEST_NEO4J_DIR;
    if (!dataDir) ctx.skip(); // NEO4J_URI was given: no embedded server in this run
    const joined = await startEmbedded({ dataDir: dataDir!, pageCache: '64m', heap: '256m', progress: () => {} });
    expect(joined.owned).toBe(false);
    expect(joined.uri).toBe(process.env.NEO4J_URI);
    await joined.stop(); // a joiner's stop leaves the server running
    const again = await startEmbedded({ dataDir: dataDir!, pageCache: '64m', heap: '256m', progress: () => {} });
    expect(again.owned).toBe(false);
  });

  it('names docker compose and NEO4J_URI when Java is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const err = await startEmbedded({ dataDir: '/tmp/extranet-no-java', pageCache: '64m', heap: '256m', progress: () => {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EmbeddedUnavailable);
      expect((err as Error).message).toMatch(/Java 17\+.*docker compose up.*NEO4J_URI/s);
    } finally {
      process.env.PATH = path;
    }
  });
});
