import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tryLock } from './bulk-lock';

/**
 * Class-data sharing (CDS) for the embedded Neo4j's JVM: the classes a start loads (from Neo4j's
 * 212 jars) are kept in an archive that the next JVM maps instead of reading, verifying and
 * parsing them again. On the 2-core machine of the benchmarks a start on a new store took
 * 11–15 s without it and 8–10 s with it.
 *
 * The archive belongs to one classpath and one Java: its file name carries a hash of both
 * (`<cacheDir>/neo4j-cds-<hash>.jsa`, ~90 MB). A JVM that cannot use it (another Java build, a jar
 * changed on disk) ignores it and starts as without (`-Xshare:auto`, the default); it says so in its
 * `cds` log, and the file is then removed so that the next start makes a new one.
 *
 * It is made once, by the first start that finds none: that JVM runs with
 * `-XX:+RecordDynamicDumpInfo`, and once it is ready `jcmd <pid> VM.cds dynamic_dump` writes the
 * archive from it (Java 17+; ~10 s in the background, the server pausing for part of it). A lock
 * file (`.lock`, the pid) keeps a second process from making it at the same time; the archive is
 * written under `.tmp` and renamed whole. Without `jcmd`, or when the dump fails, the server just
 * starts without an archive next time too.
 */
export interface ClassShare {
  /** JVM options for this start. */
  args: string[];
  /** True when `args` use an existing archive. */
  using: boolean;
  /** Called once the JVM (`pid`) is ready: makes the archive when this start is the one to make it. */
  ready(pid: number): void;
  /** Called with a line of the JVM's output before it was ready: a JVM that refused the archive says so, and the archive is dropped. */
  output(line: string): void;
  /** Resolves when the archive this start makes is written or given up (at once when it makes none). */
  settled: Promise<void>;
}

/** The archive's path for this classpath and Java (`java -version`'s text: the build an archive belongs to), in `cacheDir`. */
export function classShareArchive(cacheDir: string, classpath: string, javaVersion: string): string {
  const hash = createHash('sha256').update(`${classpath}\0${javaVersion}`).digest('hex').slice(0, 16);
  return path.join(cacheDir, `neo4j-cds-${hash}.jsa`);
}

/**
 * What one start of the JVM on `classpath` (Java: `javaVersion`, see {@link classShareArchive}) does
 * about the archive (see {@link ClassShare}).
 * `classpath` must hold jars only (a JVM recording for an archive refuses a folder of classes).
 *
 * @example
 * const share = classShare('.cache', classpath, checkJava(), progress);
 * const child = spawn('java', [...share.args, '-cp', classpath, 'Main']);
 * // …once it is ready:
 * share.ready(child.pid!);
 */
export function classShare(
  cacheDir: string,
  classpath: string,
  javaVersion: string,
  progress: (line: string) => void = () => {},
): ClassShare {
  const archive = classShareArchive(cacheDir, classpath, javaVersion);
  const none = { ready: () => {}, output: () => {}, settled: Promise.resolve() };
  if (fs.existsSync(archive)) {
    const using: ClassShare = {
      ...none,
      // Its `cds` lines at info level (~20 at start) say when the JVM could not use the archive ("UseSharedSpaces: …").
      args: [`-XX:SharedArchiveFile=${archive}`, '-Xlog:cds=info:stdout'],
      using: true,
      output(line) {
        // e.g. "[info][cds] UseSharedSpaces: The shared archive file has a bad magic number." (the JVM starts as without)
        const refused = /\[cds\] UseSharedSpaces: (.*)$/.exec(line);
        if (!refused || !using.using) return;
        using.using = false;
        fs.rmSync(archive, { force: true });
        progress(`neo4j: the class-data archive could not be used (${refused[1]}); the next start makes a new one`);
      },
    };
    return using;
  }
  const release = takeLock(`${archive}.lock`);
  if (!release) return { ...none, args: [], using: false };
  let settle = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const tmp = `${archive}.tmp`;
  const giveUp = () => {
    fs.rmSync(tmp, { force: true });
    release();
    settle();
  };
  return {
    args: ['-XX:+RecordDynamicDumpInfo'],
    using: false,
    output: () => {},
    settled,
    ready(pid) {
      fs.rmSync(tmp, { force: true });
      const started = performance.now();
      const jcmd = spawn('jcmd', [String(pid), 'VM.cds', 'dynamic_dump', tmp], { stdio: 'ignore' });
      jcmd.once('error', giveUp); // no jcmd (a JRE): no archive
      jcmd.once('close', (code) => {
        try {
          if (code === 0 && fs.statSync(tmp, { throwIfNoEntry: false })?.size) {
            fs.renameSync(tmp, archive);
            progress(
              `neo4j: class-data archive written in ${((performance.now() - started) / 1000).toFixed(1)} s: later starts are faster`,
            );
          }
        } catch {
          /* the folder went away: no archive */
        } finally {
          giveUp();
        }
      });
    },
  };
}

/** The archive's lock (bulk-lock.ts `tryLock`): its release, or undefined while a live process holds it or the folder is not writable. */
function takeLock(file: string): (() => void) | undefined {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const lock = tryLock(file);
    return 'release' in lock ? lock.release : undefined;
  } catch {
    return undefined; // a read-only folder: no archive
  }
}
