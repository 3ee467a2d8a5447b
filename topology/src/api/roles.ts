import type { Permission } from './endpoint';

/**
 * The roles of the trust model and what each may do. A role holds a prefix of
 * the permission ladder (endpoint.ts): leadership reads, ops staff also operate,
 * network engineers also write the address space and the plan, admins also
 * manage accounts, tokens and the audit.
 */
export const ROLES = ['viewer', 'operator', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Labels for the UI, zh-CN first. */
export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  viewer: { zh: '查看', en: 'viewer' },
  operator: { zh: '运维', en: 'operator' },
  engineer: { zh: '网络工程师', en: 'engineer' },
  admin: { zh: '管理员', en: 'admin' },
};

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['public', 'read'],
  operator: ['public', 'read', 'operate'],
  engineer: ['public', 'read', 'operate', 'engineer'],
  admin: ['public', 'read', 'operate', 'engineer', 'admin'],
};

/**
 * Whether a role (or nobody, for an anonymous caller) holds a permission.
 * @example allows('operator', 'engineer') // false
 * @example allows(undefined, 'public') // true
 */
export function allows(role: Role | undefined, permission: Permission): boolean {
  if (permission === 'public') return true;
  return role !== undefined && GRANTS[role].includes(permission);
}

/** Whether `role` is at most `ceiling` (a token may not hold more than its creator). */
export function roleAtMost(role: Role, ceiling: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(ceiling);
}
