import argon2 from 'argon2';

/**
 * Password hashing: Argon2id with OWASP's first recommended setting
 * (m = 19 MiB, t = 2, p = 1; OWASP Password Storage Cheat Sheet). The hash
 * string carries its parameters, so raising them later re-hashes at next login.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password and for a malformed hash (never throws on user input). */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with weaker parameters than today's. */
export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, ARGON2_OPTIONS);
}

/** A hash of a random password, to spend the same time on unknown user names as on known ones. */
export const DUMMY_HASH = hashPassword(`dummy-${Math.random()}`);
