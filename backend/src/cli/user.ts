import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { DomainError, ROLES, type Role } from '@extranet/topology';
import { z } from 'zod';
import { passwordSchema, usernameSchema } from '../../../topology/src/api/auth';
import { auditCli } from '../auth/audit';
import { createToken, createUser, listTokens, listUsers, revokeToken, updateUser } from '../auth/service';
import { createTrust } from '../auth/trust';
import { loadConfig } from '../config';
import { Store } from '../neo4j/store';

/**
 * `extranet user …` and `extranet token …`: accounts from the command line —
 * how the first admin is made (there is no default password). Run on the
 * server (it opens the store directly, as the operator of the machine);
 * every change is audited with the OS user as actor.
 */
export const userUsage = `  extranet user create NAME --role ROLE [--password-stdin]
                                       create an account (roles: ${ROLES.join(', ')}); without --password-stdin a random
                                       password is made and printed once
  extranet user list                   list the accounts
  extranet user disable|enable NAME    lock an account out (its sessions and tokens are refused at once) or let it back in
  extranet token create NAME --user U --role ROLE [--days N]
                                       an API token for the CLI or automation (Authorization: Bearer); printed once
  extranet token list                  list the tokens (id, name, role, owner, expiry, last use, revoked)
  extranet token revoke ID             revoke a token (a leaked secret): refused by every server within a second`;

/** A random password that meets the policy (24 characters of base64url). */
export const randomPassword = (): string => randomBytes(18).toString('base64url');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new DomainError('BAD_REQUEST', `${field}: ${r.error.issues[0]?.message ?? 'invalid'}`, { field });
  return r.data;
}

function parseRole(role: string | undefined): Role {
  const r = z.enum(ROLES).safeParse(role);
  if (!r.success)
    throw new DomainError('BAD_REQUEST', `--role must be one of ${ROLES.join(', ')}. Got: ${role ?? '(none)'}`, { field: 'role' });
  return r.data;
}

export async function userCommand(
  sub: string | undefined,
  name: string | undefined,
  values: { role?: string | undefined; 'password-stdin'?: boolean | undefined; user?: string | undefined; days?: string | undefined },
  out: (l: string) => void,
  tokens = false,
): Promise<number> {
  const store = await Store.open(loadConfig(), () => {});
  try {
    const actor = `cli:${os.userInfo().username}`;
    if (!tokens && sub === 'list') {
      for (const u of await listUsers(store)) out(`${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}\t${u.displayName}`);
      return 0;
    }
    if (!tokens && sub === 'create') {
      const username = parseOr(usernameSchema, name, 'NAME');
      const role = parseRole(values.role);
      const given = values['password-stdin'] ? await readStdin() : undefined;
      const password = parseOr(passwordSchema, given ?? randomPassword(), 'password');
      const user = await createUser(store, { username, role, password });
      await auditCli(store, { actor, action: 'user create', target: username, after: { role } });
      out(`created ${user.username} (${user.role})`);
      if (!given) out(`password (shown once, change it after logging in): ${password}`);
      return 0;
    }
    if (tokens && sub === 'create') {
      const role = parseRole(values.role);
      const owner = (await listUsers(store)).find((u) => u.username === values.user);
      if (!owner) throw new DomainError('NOT_FOUND', `no user ${values.user ?? '(give --user)'}`, { field: 'user' });
      const days = Number(values.days ?? 90);
      if (!Number.isInteger(days) || days < 1 || days > 730) throw new DomainError('BAD_REQUEST', '--days is 1 to 730', { field: 'days' });
      const trust = createTrust(store);
      const t = await createToken(
        store,
        trust.key,
        { username: owner.username, displayName: owner.displayName, role: owner.role, via: 'session' },
        { name: parseOr(z.string().min(1).max(64), name, 'NAME'), role, expiresInDays: days },
      );
      await auditCli(store, { actor, action: 'token create', target: t.token.id, after: { name, role, owner: owner.username } });
      out(`token ${t.token.id} (${t.token.role}, ${owner.username}, until ${t.token.expiresAt})`);
      out(`secret (shown once): ${t.secret}`);
      return 0;
    }
    if (!tokens && (sub === 'disable' || sub === 'enable')) {
      const username = parseOr(usernameSchema, name, 'NAME');
      const { before, after } = await updateUser(store, username, { disabled: sub === 'disable' });
      await auditCli(store, {
        actor,
        action: `user ${sub}`,
        target: username,
        before: { disabled: before.disabled },
        after: { disabled: after.disabled },
      });
      out(`${username} ${after.disabled ? 'disabled' : 'enabled'}`);
      return 0;
    }
    if (tokens && sub === 'list') {
      for (const t of await listTokens(store))
        out(
          [
            t.id,
            t.name,
            t.role,
            t.owner,
            `until ${t.expiresAt}`,
            `used ${t.lastUsedAt ?? 'never'}`,
            t.revokedAt ? `revoked ${t.revokedAt}` : 'active',
          ].join('\t'),
        );
      return 0;
    }
    if (tokens && sub === 'revoke') {
      const id = parseOr(z.string().min(1).max(64), name, 'ID');
      await revokeToken(store, id);
      await auditCli(store, { actor, action: 'token revoke', target: id });
      out(`token ${id} revoked`);
      return 0;
    }
    process.stderr.write(`usage:\n${userUsage}\n`);
    return 2;
  } finally {
    await store.close();
  }
}
