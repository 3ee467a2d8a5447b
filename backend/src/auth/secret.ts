import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The server's secret key: 32 random bytes made on first start and kept in a
 * file only its owner can read (0600; a looser mode is tightened). API token
 * hashes are HMACs under it, so a copy of the database alone cannot be used to
 * check guesses of a token; session cookies are signed with it.
 */
export function loadSecretKey(file: string): Buffer {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    fs.writeSync(fd, randomBytes(32).toString('base64url'));
    fs.closeSync(fd);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  if (key.length < 32) throw new Error(`${file} holds no usable key (32 bytes, base64url): delete it to make a new one`);
  return key;
}
