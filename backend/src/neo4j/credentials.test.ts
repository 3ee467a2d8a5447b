import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../config';
import { AUTH_FILE, CredentialsError, embeddedCredentials, restrictToOwner, writePrivateFile } from './credentials';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-credentials-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('the embedded Neo4j password file', () => {
  it('is made on first use with 32 random bytes (base64url), mode 0600, and read back unchanged after', () => {
    const dir = tempDir();
    const first = embeddedCredentials(dir);
    expect(first.user).toBe('neo4j');
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(modeOf(path.join(dir, AUTH_FILE))).toBe(0o600);
    expect(embeddedCredentials(dir).password).toBe(first.password);
    expect(embeddedCredentials(tempDir()).password).not.toBe(first.password);
    expect(fs.readdirSync(dir)).toEqual([AUTH_FILE]); // no temporary file left behind
  });

  it('keeps the password out of anything that serialises or inspects the credentials', () => {
    const c = embeddedCredentials(tempDir());
    expect(JSON.stringify(c)).toBe('{"user":"neo4j"}');
    expect(inspect(c, { depth: 5 })).not.toContain(c.password);
    expect({ ...c }).toEqual({ user: 'neo4j' });
  });

  it('gives processes that start at the same moment one and the same password', async () => {
    const dir = tempDir();
    const script = `import { embeddedCredentials } from ${JSON.stringify(path.join(repoRoot, 'backend/src/neo4j/credentials.ts'))};
process.stdout.write(embeddedCredentials(${JSON.stringify(dir)}).password);`;
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(tsx, ['--eval', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', reject);
        p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      });
    const passwords = await Promise.all([run(), run(), run(), run()]);
    expect(new Set(passwords).size).toBe(1);
    expect(passwords[0]).toBe(embeddedCredentials(dir).password);
  }, 60_000);

  it('takes group and other permissions off a password file and a folder left readable', () => {
    const dir = tempDir();
    const file = path.join(dir, AUTH_FILE);
    fs.writeFileSync(file, JSON.stringify({ user: 'neo4j', password: 'x'.repeat(43) }), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    fs.chmodSync(dir, 0o755);
    expect(embeddedCredentials(dir).password).toBe('x'.repeat(43));
    expect(modeOf(file)).toBe(0o600);
    restrictToOwner(dir, 0o700);
    expect(modeOf(dir)).toBe(0o700);
  });

  it('refuses a file that is not a password file, naming the file and the fix but not its content', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, AUTH_FILE), JSON.stringify({ user: 'neo4j', password: 'short-secret' }), { mode: 0o600 });
    const err = (() => {
      try {
        embeddedCredentials(dir);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err!.message).toMatch(/auth\.json is not a password file .*password: at least 32 characters.*delete it/);
    expect(err!.message).not.toContain('short-secret');
  });
});

describe('writePrivateFile', () => {
  it('replaces a world-readable file with one only its owner can read', () => {
    const file = path.join(tempDir(), 'bolt.json');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    writePrivateFile(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(modeOf(file)).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['bolt.json']);
  });
});
