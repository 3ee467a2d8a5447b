import { readFileSync } from 'node:fs';

/**
 * The lab runs one SNMP agent — one UDP socket, one file descriptor — per
 * managed device. A national plan has 42,000 devices; a process may open 1,024
 * files by default on many systems. Checked before the first agent starts, so
 * the lab refuses with the reason and the fix instead of dying on EMFILE midway.
 */

/** File descriptors kept free for everything else the process opens (Neo4j, HTTP, logs). */
export const SPARE_DESCRIPTORS = 256;

/** The soft limit on open files of this process (`ulimit -n`), or undefined where it cannot be read. */
export function openFileLimit(readLimits: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | undefined {
  try {
    const line = readLimits()
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === undefined) return undefined;
    return soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return undefined;
  }
}

/** The message of a lab too big for the limit; undefined when it fits (or the limit is unknown). */
export function labCapacityProblem(agents: number, limit: number | undefined): string | undefined {
  if (limit === undefined || agents + SPARE_DESCRIPTORS <= limit) return undefined;
  return labTooBigMessage(agents, limit);
}

/** Why the lab cannot run `agents` agents and what to do, for a known or unknown (EMFILE met) limit. */
export function labTooBigMessage(agents: number, limit: number | undefined): string {
  const need = agents + SPARE_DESCRIPTORS;
  return (
    `lab mode runs one simulated router (one UDP socket) per managed device: this plan has ${agents.toLocaleString('en')}, ` +
    `and this process may open ${limit === undefined ? 'fewer files than that' : `only ${limit.toLocaleString('en')} files`} (ulimit -n). ` +
    `Raise the limit (ulimit -n ${need} in the shell that starts it, or LimitNOFILE=${need} / docker --ulimit nofile=${need}), ` +
    'or run the lab on a smaller plan (extranet plan generate --size province --out DIR; PLAN_DIR=DIR)'
  );
}
