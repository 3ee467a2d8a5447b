/**
 * Compact undirected graphs for the monitoring algorithms: nodes are dense
 * integers, adjacency is CSR (compressed sparse rows) in typed arrays, so 10k
 * sites / 20k links cost a few hundred kilobytes and traversals are allocation-free.
 * No recursion anywhere: a long chain must not blow the stack.
 */

/** Adjacency in CSR form: the neighbours of `v` are `target[start[v] … start[v+1]-1]`, via edge `edge[i]`. */
export interface Csr {
  nodeCount: number;
  start: Int32Array;
  target: Int32Array;
  edge: Int32Array;
}

/**
 * Build CSR adjacency from an edge list: edge `e` joins `ends[2e]` and `ends[2e+1]`.
 * Each edge appears in both endpoints' lists, in edge order (deterministic traversals).
 */
export function buildCsr(nodeCount: number, ends: Int32Array | readonly number[]): Csr {
  const edgeCount = ends.length >> 1;
  const start = new Int32Array(nodeCount + 1);
  for (let i = 0; i < edgeCount * 2; i++) start[ends[i]! + 1]!++;
  for (let v = 0; v < nodeCount; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, nodeCount);
  const target = new Int32Array(edgeCount * 2);
  const edge = new Int32Array(edgeCount * 2);
  for (let e = 0; e < edgeCount; e++) {
    const u = ends[2 * e]!;
    const w = ends[2 * e + 1]!;
    target[fill[u]!] = w;
    edge[fill[u]!++] = e;
    target[fill[w]!] = u;
    edge[fill[w]!++] = e;
  }
  return { nodeCount, start, target, edge };
}

/** Breadth-first search result: hop distance (-1 = unreached) and the edge/node each node was reached by (-1 at sources). */
export interface BfsTree {
  dist: Int32Array;
  parentEdge: Int32Array;
  parentNode: Int32Array;
}

/** Multi-source BFS; `useEdge(e)` may exclude edges. */
export function bfs(csr: Csr, sources: Iterable<number>, useEdge: (e: number) => boolean = () => true): BfsTree {
  const n = csr.nodeCount;
  const dist = new Int32Array(n).fill(-1);
  const parentEdge = new Int32Array(n).fill(-1);
  const parentNode = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (const s of sources) {
    if (dist[s] === -1) {
      dist[s] = 0;
      queue[tail++] = s;
    }
  }
  while (head < tail) {
    const v = queue[head++]!;
    for (let i = csr.start[v]!; i < csr.start[v + 1]!; i++) {
      const w = csr.target[i]!;
      if (dist[w] !== -1 || !useEdge(csr.edge[i]!)) continue;
      dist[w] = dist[v]! + 1;
      parentEdge[w] = csr.edge[i]!;
      parentNode[w] = v;
      queue[tail++] = w;
    }
  }
  return { dist, parentEdge, parentNode };
}

/** Edges from a BFS source to `node`, source first; empty for a source, `undefined` when unreached. */
export function pathTo(tree: BfsTree, node: number): number[] | undefined {
  if (tree.dist[node] === -1) return undefined;
  const edges: number[] = [];
  for (let v = node; tree.parentEdge[v] !== -1; v = tree.parentNode[v]!) edges.push(tree.parentEdge[v]!);
  return edges.reverse();
}
