import { allows, type Me, type Permission } from '../../../topology/src/api';
import { api, ApiError, onSessionEnd } from '../api/client';

/**
 * Who is using this page, one per page: the `Me` of the cookie session (from
 * `GET /api/auth/me` at start, or the login), and why there is none. What the
 * UI offers follows `can(permission)` — the role's grant of the permission an
 * endpoint or view declares (roles.ts) — never a role name. The API enforces
 * the same rule; the UI only leaves out what would be refused.
 */
export type SessionChange =
  /** Logged in on the login page. */
  | 'login'
  /** Logged out with the header's button. */
  | 'logout'
  /** An answer said 401: the session expired, was revoked or the account disabled. */
  | 'expired';

let current: Me | undefined;
const listeners = new Set<(change: SessionChange) => void>();

function emit(change: SessionChange): void {
  for (const l of listeners) l(change);
}

onSessionEnd(() => {
  if (!current) return;
  current = undefined;
  emit('expired');
});

export const session = {
  /** The logged-in user, or undefined. */
  me: (): Me | undefined => current,
  /** Whether the user's role holds `permission` (false when nobody is logged in, but for `public`). */
  can: (permission: Permission): boolean => allows(current?.user.role, permission),
  /**
   * Asks the API who is calling (the cookie of an earlier login may still be
   * valid). Resolves with the user, or undefined when there is no session;
   * any other failure (server down) throws.
   */
  async resume(): Promise<Me | undefined> {
    try {
      current = await api.me();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) throw e;
      current = undefined;
    }
    return current;
  },
  /** Logs in; throws the API's error (401 refused, 429 too many attempts). */
  async login(username: string, password: string): Promise<Me> {
    current = await api.login(username, password);
    emit('login');
    return current;
  },
  /** Ends the session on the server; the page forgets it even when the server cannot be reached. */
  async logout(): Promise<void> {
    const was = current;
    current = undefined;
    try {
      await api.logout();
    } catch {
      // already over (401) or unreachable: the page logs out all the same
    }
    if (was) emit('logout');
  },
  /** Re-reads `me` after a change that may rotate the CSRF token (a password change). */
  async refresh(): Promise<void> {
    current = await api.me();
  },
  on(listener: (change: SessionChange) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
