import { hash } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';

export const ROLES = ['viewer', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who a request acts for. `name` is the token's name or the signed-in user's e-mail: per-person data
 * (preferences, saved views, audit rows) is keyed on it. `id` is the token's or the user's id.
 */
export interface Principal {
  id: number;
  name: string;
  role: Role;
  kind: 'token' | 'session';
  userId?: number;
  /** sha256 of the session cookie (the sessions row's id). */
  sessionId?: string;
}

/** A browser session's principal, with what the web app and the CSRF check need. */
export interface SessionPrincipal extends Principal {
  kind: 'session';
  userId: number;
  sessionId: string;
  displayName: string;
  csrfToken: string;
  mustChangePassword: boolean;
}

const RANK: Record<Role, number> = { viewer: 0, ops: 1, admin: 2 };

export function hasRole(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

/** sha256, hex; one-shot (no Hash object per call): it runs on every bearer request. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function parseRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AppError('invalid', `role must be one of ${ROLES.join(', ')} (got "${role}")`);
  }
  return role as Role;
}

/** The auth cache key of a token (by its hash) and of a session (by its id). */
export const tokenKey = (hash: string) => `tok:${hash}`;
export const sessionKey = (id: string) => `ses:${id}`;

export function isSession(p: Principal): p is SessionPrincipal {
  return p.kind === 'session';
}
