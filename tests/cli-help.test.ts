import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../backend/src/config';

/**
 * The `extranet` command as a fresh clone gets it after `npm ci`: npm links the backend
 * workspace's bin (backend/bin/extranet) into node_modules/.bin, and `npx extranet` runs it.
 */
const run = promisify(execFile);
const env = { ...process.env, LOG_LEVEL: 'warn' };

/** One line per IPAM subcommand of the help. */
const IPAM_COMMANDS = ['ipam provision', 'ipam allocate', 'ipam assign', 'ipam release', 'ipam free', 'ipam export'];

describe('extranet --help', () => {
  it('npx extranet --help lists the IPAM commands, with no placeholder left', async () => {
    // --no: when the bin is not linked, fail instead of fetching an unrelated "extranet" package
    // from the registry (npx would install one without asking, stdin being no terminal here).
    const { stdout } = await run('npx', ['--no', '--', 'extranet', '--help'], { cwd: repoRoot, env });
    for (const command of IPAM_COMMANDS) expect(stdout).toContain(`extranet ${command}`);
    expect(stdout).toContain('extranet plan import');
    expect(stdout).not.toContain('${');
  });

  it('the bin finds the CLI from any working directory', async () => {
    const bin = path.join(repoRoot, 'node_modules', '.bin', 'extranet');
    const { stdout } = await run(bin, ['--help'], { cwd: os.tmpdir(), env });
    expect(stdout).toContain('extranet ipam allocate VRF PARENT LENGTH');
  });
});
