import type { ManagedTransaction } from 'neo4j-driver';
import { INTERFACE_STATE_FIELDS, type InterfaceStateProps } from './end-state';

/** The measured state of both ends of every link, as the pollers last wrote it on the interfaces. */
export async function readLinkEnds(tx: ManagedTransaction): Promise<Array<{ id: string; side: 'a' | 'b'; props: InterfaceStateProps }>> {
  const r = await tx.run(`MATCH (l:Link)-[e:END]->(i:Interface) RETURN l.id AS id, e.side AS side, i {${INTERFACE_STATE_FIELDS}} AS i`);
  return r.records.map((x) => ({ id: x.get('id') as string, side: x.get('side') as 'a' | 'b', props: x.get('i') as InterfaceStateProps }));
}
