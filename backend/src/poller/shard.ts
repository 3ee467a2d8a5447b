import { DomainError } from '@extranet/topology';

/**
 * Sharding the poll load over processes: `--shard i/N` (or `POLL_SHARD=i/N`)
 * makes a poller take exactly the devices with `fnv1a32(hostname) mod N = i`.
 * The hash depends on the hostname only, so a device stays in its shard when
 * others are added or removed, and N pollers together cover every device once.
 */
export interface Shard {
  /** 0 ≤ index < count. */
  index: number;
  count: number;
}

/** The whole set: one poller takes every device. */
export const ALL_DEVICES: Shard = { index: 0, count: 1 };

/**
 * Parses `i/N`.
 * @example parseShard('1/4') // → { index: 1, count: 4 }
 * @throws DomainError BAD_REQUEST, e.g. `shard must be i/N with 0 ≤ i < N. Got: 4/4`
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 0 && index < count)) {
    throw new DomainError('BAD_REQUEST', `shard must be i/N with 0 ≤ i < N. Got: ${text}`, {
      field: 'shard',
      hint: 'e.g. --shard 0/2 and --shard 1/2',
    });
  }
  return { index, count };
}

/** 32-bit FNV-1a of the UTF-8 bytes of `text`: stable across processes, versions and platforms. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** True when `hostname` belongs to `shard`. */
export function inShard(hostname: string, shard: Shard): boolean {
  return fnv1a32(hostname) % shard.count === shard.index;
}
