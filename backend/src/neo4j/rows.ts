/**
 * Rows of an `UNWIND` sent to Neo4j as lists rather than maps. A map parameter carries its property
 * names in every row, and the driver packs each name as a string (Neo4j unpacks it again): a poll
 * interval at national size would send ~3 million of them. Measured on 104,000 interface states in
 * 60 transactions (2 cores, embedded Neo4j, alternating runs): maps 7.9–13.1 s and 3.2–3.8 s of Node
 * CPU, lists 5.2–8.6 s and 1.3 s. With lists the names are written once, in the query.
 *
 * A row is `[key, …the values of `names` in order, rest]`: `names` are the properties every row sets
 * (a null removes the property), `rest` a map of the others a row sets (usually empty), applied with
 * `+=` so a property absent from it is left alone.
 */

/** `[key, …props[names], rest]`: see above. A property of `names` absent from `props` is sent as null. */
export function columnRow(key: unknown, props: Readonly<Record<string, unknown>>, names: readonly string[]): unknown[] {
  const row: unknown[] = [key];
  for (const n of names) row.push(props[n] ?? null);
  const rest: Record<string, unknown> = {};
  for (const k in props) if (!names.includes(k)) rest[k] = props[k];
  row.push(rest);
  return row;
}

/**
 * The SET items that write {@link columnRow}s `x` to the node or relationship `v`: `v.a = x[1], …`,
 * and `v += x[n+1]` only when one of `rows` has a property in its map. Left out, the query needs no
 * Eager step: with a map of unknown names Neo4j must first read every row (a name in it could be the
 * key the rows are matched by).
 */
export function setColumns(v: string, names: readonly string[], rows: ReadonlyArray<readonly unknown[]>, x = 'x'): string {
  const rest = rows.some((r) => Object.keys(r[names.length + 1] as object).length > 0);
  return [...names.map((n, k) => `${v}.${n} = ${x}[${k + 1}]`), ...(rest ? [`${v} += ${x}[${names.length + 1}]`] : [])].join(', ');
}
