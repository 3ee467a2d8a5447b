import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../config';
import { isAlive, waitForBulkImport } from './bulk-lock';
import { embeddedCredentials, restrictToOwner, writePrivateFile, type EmbeddedCredentials } from './credentials';
import { classShare } from './class-share';
import { pageCacheSize } from './page-cache';

/**
 * The embedded default: with no NEO4J_URI, the app starts a real Neo4j 5.26
 * itself — `backend/neo4j/EmbeddedNeo4j.java` (DatabaseManagementServiceBuilder
 * with a Bolt connector on a loopback port, authentication on) over the jars
 * that Maven resolves from Maven Central on first use and caches in ~/.m2.
 *
 * Loopback is open to every local user, so the server asks for the password in
 * `<dataDir>/auth.json` (see ./credentials.ts); the data folder is kept 0700 and
 * its files 0600. The password reaches Java on its stdin, never in argv (which
 * every local user can read in /proc).
 *
 * Several processes may share one embedded server: the one that starts it
 * writes `<dataDir>/bolt.json` ({pid, uri}); another process of the same user
 * finding a live one connects to it (with the same password file) instead of
 * starting a second (Neo4j locks its store).
 */

const launcherDir = path.join(repoRoot, 'backend', 'neo4j');
const MIN_JAVA = 17;

export interface EmbeddedOptions {
  dataDir: string;
  /** `auto` or a size (see page-cache.ts). */
  pageCache: string;
  heap: string;
  /** Where progress lines go (default: stderr). */
  progress?: (line: string) => void;
  /** Folder of the JVM's class-data archive (class-share.ts); default `.cache/` of the checkout. */
  classShareDir?: string;
}

export interface EmbeddedNeo4j {
  uri: string;
  /** The user and password the server asks for (the password is not enumerable: it stays out of logs). */
  credentials: EmbeddedCredentials;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  /**
   * Resolves when the server this process started exits without being asked to stop (killed, or
   * crashed), with its exit code or signal; never for a joined server or after {@link stop}.
   */
  died: Promise<string>;
  /** This start's class-data archive (class-share.ts): whether it used one, and when the one it makes is written. */
  classShare: { using: boolean; settled: Promise<void> };
  stop(): Promise<void>;
}

/** Thrown when Java or Maven is missing or too old; the message names the alternatives. */
export class EmbeddedUnavailable extends Error {}

const alternatives =
  'Alternatives: run `docker compose up` (Neo4j 5.26 + the app), or set NEO4J_URI (and NEO4J_USER/NEO4J_PASSWORD) to an existing Neo4j 5.26 server.';

/** The JVM options every Neo4j process here runs with: what Neo4j's own launcher opens, so the page cache does not fall back to slow paths. */
export const NEO4J_JVM_OPTIONS: readonly string[] = [
  '-Dfile.encoding=UTF-8',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-exports=java.base/sun.nio.ch=ALL-UNNAMED',
];

/** Checks that Java 17+ is there; returns `java -version`'s text. */
export function checkJava(): string {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new EmbeddedUnavailable(`Java ${MIN_JAVA}+ is needed for the embedded Neo4j, but \`java\` was not found. ${alternatives}`);
  }
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr);
  const major = m ? Number(m[1] === '1' ? m[2] : m[1]) : 0;
  if (major < MIN_JAVA) {
    throw new EmbeddedUnavailable(
      `Java ${MIN_JAVA}+ is needed for the embedded Neo4j, found ${major || 'an unknown version'}. ${alternatives}`,
    );
  }
  return r.stderr;
}

/**
 * Compiles the launcher once per source content into .cache/ (saves seconds at every start) and
 * packs it as a jar (what a class-data archive needs); the folder of classes when `jar` is missing.
 */
function compileLauncher(classpath: string): string {
  const src = path.join(launcherDir, 'EmbeddedNeo4j.java');
  const hash = createHash('sha256').update(fs.readFileSync(src)).digest('hex').slice(0, 16);
  const outDir = path.join(repoRoot, '.cache', `neo4j-launcher-${hash}`);
  if (!fs.existsSync(path.join(outDir, 'EmbeddedNeo4j.class'))) {
    const r = spawnSync('javac', ['-nowarn', '-d', outDir, '-cp', classpath, src], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new EmbeddedUnavailable(
        `could not compile the Neo4j launcher (javac from a JDK ${MIN_JAVA}+ is needed): ${r.stderr ?? r.error}\n${alternatives}`,
      );
    }
  }
  const jar = `${outDir}.jar`;
  if (!fs.existsSync(jar)) {
    const tmp = `${jar}.${process.pid}.tmp`; // processes starting at once each pack their own, then rename it whole
    const r = spawnSync('jar', ['cf', tmp, '-C', outDir, '.'], { stdio: 'ignore' });
    if (r.error || r.status !== 0) {
      fs.rmSync(tmp, { force: true });
      return outDir;
    }
    fs.renameSync(tmp, jar);
  }
  return jar;
}

/** Resolves the Neo4j jars with Maven once; the classpath is cached per pom content. */
export function resolveClasspath(progress: (l: string) => void): string {
  const pom = path.join(launcherDir, 'pom.xml');
  const hash = createHash('sha256').update(fs.readFileSync(pom)).digest('hex').slice(0, 16);
  const cacheDir = path.join(repoRoot, '.cache');
  const cpFile = path.join(cacheDir, `neo4j-classpath-${hash}.txt`);
  if (fs.existsSync(cpFile)) {
    const cp = fs.readFileSync(cpFile, 'utf8').trim();
    if (cp.split(path.delimiter).every((jar) => fs.existsSync(jar))) return cp;
  }
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new EmbeddedUnavailable(
      `Maven (mvn) is needed to fetch Neo4j 5.26 for the embedded database, but it was not found. ${alternatives}`,
    );
  }
  progress('neo4j: resolving Neo4j 5.26 jars with Maven (first run downloads ~100 MB from Maven Central)…');
  fs.mkdirSync(cacheDir, { recursive: true });
  const r = spawnSync('mvn', ['-q', '-B', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0 || !fs.existsSync(cpFile)) {
    throw new EmbeddedUnavailable(`Maven could not resolve Neo4j: ${(r.stdout + r.stderr).trim().slice(-2000)}\n${alternatives}`);
  }
  return fs.readFileSync(cpFile, 'utf8').trim();
}

/** A free TCP port on 127.0.0.1 (bound and released; the launcher binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port) }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts (or joins) the embedded Neo4j for `dataDir`. Resolves once Bolt
 * answers. Progress lines go to `opts.progress`.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedNeo4j> {
  const progress = opts.progress ?? ((l: string) => process.stderr.write(`${l}\n`));
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictToOwner(dataDir, 0o700); // the store files, auth.json and bolt.json are for this user alone
  // A first import writing this folder's new store (bulk-import.ts): start on the whole store once it is there.
  await waitForBulkImport(dataDir, progress);
  const boltFile = path.join(dataDir, 'bolt.json');
  const credentials = embeddedCredentials(dataDir);
  if (fs.existsSync(boltFile)) {
    restrictToOwner(boltFile, 0o600);
    try {
      const { pid, uri } = JSON.parse(fs.readFileSync(boltFile, 'utf8')) as { pid: number; uri: string };
      if (isAlive(pid) && (await canConnect(uri))) {
        progress(`neo4j: using the embedded Neo4j already running for ${dataDir} (pid ${pid}) at ${uri}`);
        const classShare = { using: false, settled: Promise.resolve() };
        return { uri, credentials, owned: false, died: new Promise<string>(() => {}), classShare, stop: async () => {} };
      }
    } catch {
      /* stale or unreadable: start a new one */
    }
  }

  const javaVersion = checkJava();
  const classpath = resolveClasspath(progress);
  const launcher = compileLauncher(classpath);
  // A JVM recording for a class-data archive refuses a folder of classes on its classpath: only with the launcher's jar.
  const share = launcher.endsWith('.jar')
    ? classShare(opts.classShareDir ?? path.join(repoRoot, '.cache'), `${launcher}${path.delimiter}${classpath}`, javaVersion, progress)
    : undefined;
  const port = await freePort();
  const pageCache = pageCacheSize(opts.pageCache);
  progress(`neo4j: starting embedded Neo4j 5.26 on 127.0.0.1:${port} (data in ${dataDir}, page cache up to ${pageCache})…`);
  const started = Date.now();
  const child: ChildProcess = spawn(
    'java',
    [
      `-Xmx${opts.heap}`,
      `-Xms${opts.heap}`,
      '-XX:+UseG1GC',
      ...(share?.args ?? []),
      ...NEO4J_JVM_OPTIONS,
      '-cp',
      `${launcher}${path.delimiter}${classpath}`,
      'EmbeddedNeo4j',
      path.join(dataDir, 'db'),
      String(port),
      pageCache,
    ],
    // stdin carries the password (first line), then stays open: the launcher watches it, and
    // shuts Neo4j down when this process dies.
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stdin!.on('error', () => {}); // a launcher that died early is reported below, with its stderr
  child.stdin!.write(`${credentials.password}\n`);
  const errTail: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    errTail.push(d);
    if (errTail.length > 50) errTail.shift();
    for (const line of d.split('\n')) share?.output(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exitedHow = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with code ${code}`)),
  );

  const uri = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /^READY (bolt:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
      else share?.output(line);
    });
    void exited.then((code) =>
      reject(new Error(`embedded Neo4j exited (code ${code}) before it was ready:\n${errTail.join('').slice(-3000)}`)),
    );
  });
  writePrivateFile(boltFile, JSON.stringify({ pid: process.pid, launcherPid: child.pid, uri }));
  progress(`neo4j: ready at ${uri} after ${((Date.now() - started) / 1000).toFixed(1)} s${share?.using ? ' (class-data archive)' : ''}`);
  share?.ready(child.pid!);

  let stopping: Promise<void> | undefined;
  return {
    uri,
    credentials,
    owned: true,
    died: exitedHow.then((how) => (stopping ? new Promise<string>(() => {}) : how)),
    classShare: { using: share?.using ?? false, settled: share?.settled ?? Promise.resolve() },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null) {
          // A class-data archive being written from this JVM (the first start's, class-share.ts) is finished first.
          await Promise.race([share?.settled, new Promise((r) => setTimeout(r, 30_000).unref())]);
          child.kill('SIGTERM'); // the launcher's shutdown hook closes the database cleanly
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        }
        fs.rmSync(boltFile, { force: true });
      })();
      return stopping;
    },
  };
}
