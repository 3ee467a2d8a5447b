import { singlePointsOfFailure, type FailureAnalysis, type FailureGraph } from './spof';

/**
 * {@link singlePointsOfFailure} remembering its last answers. The coverage read model and every
 * alert evaluation (twice: with every built link, and with the usable ones) analyse the same network
 * every few seconds, and between two of them the usable links seldom change; at national size
 * (42,000 devices, 52,000 links) one analysis costs ~0.3 s of CPU.
 *
 * An answer is reused only for the same input: the same sites, devices (hostname and site), links
 * (id and end devices) and core, in the same order. Answers are shared, so they are frozen (their
 * arrays and site entries): a caller that changed one would throw.
 */
export function cachedSinglePointsOfFailure(graph: FailureGraph): FailureAnalysis {
  const k = answers.findIndex((a) => sameInput(a, graph));
  if (k !== -1) {
    const [hit] = answers.splice(k, 1);
    answers.push(hit!); // most recently used last
    return hit!.answer;
  }
  const answer = freeze(singlePointsOfFailure(graph));
  answers.push({ ...inputOf(graph), answer });
  if (answers.length > KEEP) answers.shift();
  return answer;
}

/** Answers kept: the coverage's and an evaluation's two, with room for a second plan's while it is switched in. */
const KEEP = 4;

/** An input as its strings in order: sites (or undefined), devices' hostname and site, links' id and ends, core. */
interface Input {
  sites: readonly string[] | undefined;
  devices: string[];
  links: string[];
  core: readonly string[];
}
const answers: Array<Input & { answer: FailureAnalysis }> = [];

/** Forgets every answer (tests). */
export function clearFailureCache(): void {
  answers.length = 0;
}

function inputOf(graph: FailureGraph): Input {
  const devices: string[] = [];
  for (const d of graph.devices) devices.push(d.hostname, d.site);
  const links: string[] = [];
  for (const l of graph.links) links.push(l.id, l.a.device, l.b.device);
  return { sites: graph.sites?.slice(), devices, links, core: graph.core.slice() };
}

/**
 * Whether `graph` is the input `a` was kept for. Compared field by field, with no key built: the
 * strings of a plan's records are passed on, not copied, so nearly every comparison is of one string
 * with itself (a national input, ~240,000 strings, compares in ~15 ms; its analysis takes ~300 ms).
 */
function sameInput(a: Input, graph: FailureGraph): boolean {
  if (a.devices.length !== 2 * graph.devices.length || a.links.length !== 3 * graph.links.length) return false;
  if (!sameList(a.core, graph.core)) return false;
  if (a.sites === undefined || graph.sites === undefined ? a.sites !== graph.sites : !sameList(a.sites, graph.sites)) return false;
  let i = 0;
  for (const d of graph.devices) if (a.devices[i++] !== d.hostname || a.devices[i++] !== d.site) return false;
  i = 0;
  for (const l of graph.links) if (a.links[i++] !== l.id || a.links[i++] !== l.a.device || a.links[i++] !== l.b.device) return false;
  return true;
}

function sameList(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
function freeze(a: FailureAnalysis): FailureAnalysis {
  for (const s of a.sites.values()) {
    Object.freeze(s.failures);
    Object.freeze(s);
  }
  for (const i of a.impact) {
    Object.freeze(i.sites);
    Object.freeze(i);
  }
  Object.freeze(a.impact);
  return Object.freeze(a);
}

/** The sites an analysis finds reached, and those of them with a link among their SPOFs (no backup). */
export interface LinkRedundancy {
  reached: ReadonlySet<string>;
  noBackup: ReadonlySet<string>;
}

/**
 * {@link LinkRedundancy} of an analysis, kept with it: an answer of {@link cachedSinglePointsOfFailure}
 * is shared between evaluations, and going through its 42,000 sites again took an alert evaluation
 * ~0.2 s at national size.
 */
export function linkRedundancy(a: FailureAnalysis): LinkRedundancy {
  let r = redundancy.get(a);
  if (r === undefined) {
    const reached = new Set<string>();
    const noBackup = new Set<string>();
    for (const [code, s] of a.sites) {
      if (!s.reached) continue;
      reached.add(code);
      if (s.failures.some((f) => f.kind === 'link')) noBackup.add(code);
    }
    r = { reached, noBackup };
    redundancy.set(a, r);
  }
  return r;
}
const redundancy = new WeakMap<FailureAnalysis, LinkRedundancy>();
