import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The embedded Neo4j's password, and the files only their owner may read.
 *
 * The embedded server runs with authentication on. On first start a random
 * password (32 bytes from the OS's CSPRNG, base64url: 43 characters) is made and
 * kept in `<dataDir>/auth.json`, mode 0600, in a data folder of mode 0700; later
 * starts, and processes that join a running server, read it from there. It is
 * never printed, logged or returned by the API. Deleting the file makes a new
 * password at the next start (the launcher sets it on the store's `neo4j` user).
 */

/** The Neo4j user the embedded password belongs to. */
export const EMBEDDED_USER = 'neo4j';
/** The password file's name inside the data folder. */
export const AUTH_FILE = 'auth.json';

export interface EmbeddedCredentials {
  readonly user: string;
  /** Not enumerable, so that logging or serialising the object by mistake shows no password. */
  readonly password: string;
}

const authFileSchema = z.strictObject({
  user: z.string().min(1),
  password: z.string().min(32, 'at least 32 characters'),
});

/** Error of a data folder or file that cannot be kept to its owner, or a password file that is not ours. */
export class CredentialsError extends Error {}

/** Reads `<dataDir>/auth.json`, making it with a new random password when it does not exist yet. */
export function embeddedCredentials(dataDir: string): EmbeddedCredentials {
  const file = path.join(dataDir, AUTH_FILE);
  if (!fs.existsSync(file))
    createOnce(file, `${JSON.stringify({ user: EMBEDDED_USER, password: randomBytes(32).toString('base64url') })}\n`);
  restrictToOwner(file, 0o600);
  let parsed: z.infer<typeof authFileSchema>;
  try {
    parsed = authFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    // The reason names fields only (zod's issues), never the file's content.
    const reason = e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ') : 'not JSON';
    throw new CredentialsError(
      `${file} is not a password file of the embedded Neo4j (${reason}); delete it to have a new password made at the next start`,
    );
  }
  return credentials(parsed.user, parsed.password);
}

function credentials(user: string, password: string): EmbeddedCredentials {
  const c = { user };
  Object.defineProperty(c, 'password', { value: password, enumerable: false });
  return Object.freeze(c) as EmbeddedCredentials;
}

/**
 * Writes `content` to `file` unless the file exists, atomically: two processes
 * starting at once end up with one password (the one linked first), and no
 * reader ever sees a half-written file.
 */
function createOnce(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Replaces `file` with `content` (mode 0600) in one step: readers see the old or the new file, never a part. */
export function writePrivateFile(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Takes group and other permissions off `p` (a file or the data folder) when it
 * has any — files made before authentication was on were created world-readable.
 */
export function restrictToOwner(p: string, mode: 0o600 | 0o700): void {
  const current = fs.statSync(p).mode & 0o777;
  if ((current & 0o077) === 0) return;
  try {
    fs.chmodSync(p, mode);
  } catch (e) {
    throw new CredentialsError(
      `${p} is readable by other users (mode ${current.toString(8)}) and could not be restricted (${(e as NodeJS.ErrnoException).code}); run \`chmod ${mode.toString(8)} ${p}\` as its owner`,
    );
  }
}
