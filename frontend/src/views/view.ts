import type { Permission } from '../../../topology/src/api';

/**
 * The contract of a view. `mount` draws into `root` with the route's
 * parameters; `navigate` changes the parameters of the current view (the URL
 * hash follows). `update` is called when only the parameters change, so a view
 * can keep what it drew (the map is not laid out again to open a panel).
 */
export interface MountedView {
  update(params: Record<string, string>): void;
  unmount(): void;
}

export interface View {
  /** What the user's role must hold to see the view (and its tab); `read` unless said. */
  permission?: Permission;
  mount(root: HTMLElement, params: Record<string, string>, navigate: (params: Record<string, string>) => void): MountedView;
}
