import { spawn, type ChildProcessWithoutNullStreams, type SpawnOptionsWithoutStdio } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../backend/src/config';

/** The `extranet` bin of a clone: the CLI's TypeScript run through tsx's in-process loader. */
export const EXTRANET_BIN = path.join(repoRoot, 'backend', 'bin', 'extranet');

/**
 * Spawns `extranet <args>` as ONE Node process. Not through the `tsx` command:
 * tsx runs the script in a child and, on a SIGTERM sent to the parent alone,
 * kills that child with SIGKILL when it has not acknowledged the signal within
 * 30 ms — which a busy event loop (a coverage judgement, a loaded CI machine)
 * misses, so the graceful shutdown under test never runs.
 */
export function spawnExtranet(args: string[], opts: SpawnOptionsWithoutStdio = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [EXTRANET_BIN, ...args], { cwd: repoRoot, ...opts, stdio: 'pipe' });
}
