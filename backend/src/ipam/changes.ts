import type { ManagedTransaction } from 'neo4j-driver';
import type { Store, TxOptions } from '../neo4j/store';

/**
 * Tells this process's readers that the address space changed: every IPAM
 * write goes through {@link ipamWrite}, which, once its transaction has
 * committed, calls the listeners registered on the same store (the prefix
 * list's read model forgets its snapshot at once). Other processes' writes are
 * seen through the history they leave (`readSourceVersions`), within a second.
 */
const listeners = new WeakMap<Store, Set<() => void>>();

export function onIpamChange(store: Store, listener: () => void): void {
  let set = listeners.get(store);
  if (!set) listeners.set(store, (set = new Set()));
  set.add(listener);
}

/** `store.write(work, opts)`, then the change listeners (after the commit, before the caller answers). */
export async function ipamWrite<T>(store: Store, work: (tx: ManagedTransaction) => Promise<T>, opts?: TxOptions): Promise<T> {
  const result = await store.write(work, opts);
  for (const listener of listeners.get(store) ?? []) listener();
  return result;
}
