import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbedded, type EmbeddedNeo4j } from '../../backend/src/neo4j/embedded';

/**
 * One real Neo4j for the whole integration run: NEO4J_URI when it is set,
 * otherwise the project's embedded Neo4j 5.26 on a fresh data folder. The
 * embedded one asks for the password it made in that folder's auth.json; the
 * tests get it as NEO4J_USER/NEO4J_PASSWORD (this process's environment, which
 * the test workers and the CLI processes they start inherit — never argv).
 */
let server: EmbeddedNeo4j | undefined;
let dataDir: string | undefined;

export async function setup(): Promise<void> {
  if (process.env.NEO4J_URI) return;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-test-neo4j-'));
  // The default page cache (`auto`), as `serve` starts it: tests/embedded.test.ts checks Neo4j got it.
  server = await startEmbedded({ dataDir, pageCache: 'auto', heap: '1g', progress: (l) => console.log(l) });
  // The first start of a checkout writes the class-data archive from this JVM (neo4j/class-share.ts), which
  // pauses Neo4j for seconds: done before any test runs, so no test's timing meets that pause.
  await server.classShare.settled;
  process.env.NEO4J_URI = server.uri;
  process.env.NEO4J_USER = server.credentials.user;
  process.env.NEO4J_PASSWORD = server.credentials.password;
  process.env.EXTRANET_TEST_NEO4J_DIR = dataDir;
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
