import type { Cache } from '../../platform/cache.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import { isSession, type Principal, parseRole, type Role } from './principal.ts';
import { forget } from './sessions.service.ts';
import * as team from './team.repo.ts';
import type { UserRow } from './users.repo.ts';
import * as users from './users.service.ts';

/**
 * Team and access from the web app (SPEC §14): the rules an admin's change to users must keep.
 * Nobody can lock the team out: an admin cannot disable, demote or reset themselves here, and the
 * last enabled admin can be neither disabled nor demoted. Each route records its own audit event,
 * so the services are called with `audit: false`.
 */

export interface TeamDeps {
  db: Db;
  cache: Cache;
  clock: Clock;
}

function acting(deps: TeamDeps, by: Principal): users.Acting {
  return { actor: by.name, clock: deps.clock, audit: false };
}

function refuseSelf(by: Principal, u: UserRow, what: string): void {
  if (isSession(by) && by.userId === u.id) {
    throw new AppError(
      'forbidden',
      `you cannot ${what} your own account (${u.email}): another admin must do it, so nobody locks themselves out`,
      { field: 'email' },
    );
  }
}

async function refuseLastAdmin(tx: Queryable, u: UserRow, what: string): Promise<void> {
  const admins = await team.lockEnabledAdmins(tx);
  if (u.role === 'admin' && !u.disabled_at && admins.length <= 1 && admins.includes(u.id)) {
    throw new AppError(
      'conflict',
      `${u.email} is the last enabled admin: make another user admin first, else nobody could ${what === 'disable' ? 'sign in to manage' : 'manage'} users, tokens or settings`,
      { field: 'email' },
    );
  }
}

export function createUser(
  deps: TeamDeps,
  by: Principal,
  input: { email: string; role: string; name?: string },
) {
  return users.createUser(deps.db, input, acting(deps, by));
}

export function disableUser(deps: TeamDeps, by: Principal, email: string) {
  return users.disableUser(deps.db, deps.cache, email, {
    ...acting(deps, by),
    guard: async (tx, u) => {
      refuseSelf(by, u, 'disable');
      await refuseLastAdmin(tx, u, 'disable');
    },
  });
}

export function enableUser(deps: TeamDeps, email: string) {
  return users.enableUser(deps.db, email);
}

export async function resetPassword(deps: TeamDeps, by: Principal, email: string) {
  const u = await users.getUser(deps.db, email);
  if (isSession(by) && by.name.toLowerCase() === u.email.toLowerCase()) {
    throw new AppError(
      'forbidden',
      'you cannot reset your own password here (it would sign you out with a password only an admin saw); change it instead',
      { field: 'email' },
    );
  }
  return users.resetPassword(deps.db, deps.cache, { email }, { ...acting(deps, by), route: 'team' });
}

/**
 * Gives a user another role. Their sessions stay signed in, but every process drops its cached
 * copy of them, so the new role applies from their next request.
 */
export async function changeRole(
  deps: TeamDeps,
  by: Principal,
  email: string,
  roleText: string,
): Promise<{ email: string; role: Role; previous_role: Role }> {
  let role: Role;
  try {
    role = parseRole(roleText);
  } catch (err) {
    throw new AppError('invalid', (err as AppError).message, { field: 'role' });
  }
  const before = await users.getUser(deps.db, email);
  const { previous, sessions } = await withTransaction(deps.db, async (tx) => {
    const u = await team.lockUser(tx, before.email);
    // users are never deleted; found a moment ago
    if (!u) throw new AppError('not_found', `no user with e-mail "${before.email}"`);
    if (u.role === role) return { previous: u.role as Role, sessions: [] as string[] };
    if (u.role === 'admin') {
      refuseSelf(by, u, 'demote');
      await refuseLastAdmin(tx, u, 'demote');
    }
    await team.setRole(tx, u.id, role);
    return { previous: u.role as Role, sessions: await team.liveSessionIds(tx, u.id) };
  });
  await forget(deps.db, deps.cache, sessions);
  return { email: before.email, role, previous_role: previous };
}
