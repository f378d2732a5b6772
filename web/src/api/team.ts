import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { auditQuery, type TeamSearch } from '../lib/team-search.ts';
import { apiClient, unwrap } from './client.ts';
import type { GetResult, PostResult } from './types.ts';

/** Team and access (admin): users, API tokens, the audit log. */

export type TeamUser = GetResult<'/api/v1/team/users'>['items'][number];
export type ApiToken = GetResult<'/api/v1/team/tokens'>['items'][number];
export type AuditPage = GetResult<'/api/v1/team/audit'>;
export type AuditEntry = AuditPage['items'][number];
export type OneTimePassword = PostResult<'/api/v1/team/users'>;
export type NewToken = PostResult<'/api/v1/team/tokens'>;
export type TeamRole = TeamUser['role'];

export const teamUsersQuery = queryOptions({
  queryKey: ['team', 'users'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/team/users', { signal })),
});

export const teamTokensQuery = (includeRevoked: boolean) =>
  queryOptions({
    queryKey: ['team', 'tokens', includeRevoked],
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/team/tokens', {
          params: { query: { include_revoked: includeRevoked } },
          signal,
        }),
      ),
  });

export const auditQueryOptions = (search: TeamSearch) => {
  const query = auditQuery(search) as { page: number; page_size: number; only?: 'events' | 'writes' };
  return queryOptions({
    queryKey: ['team', 'audit', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/team/audit', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
};

const email = (e: string) => ({ params: { path: { email: e } } });

export const teamApi = {
  createUser: (body: { email: string; name?: string; role: TeamRole }) =>
    unwrap(apiClient.POST('/api/v1/team/users', { body })),
  changeRole: (e: string, role: TeamRole) =>
    unwrap(apiClient.PATCH('/api/v1/team/users/{email}', { ...email(e), body: { role } })),
  disable: (e: string) => unwrap(apiClient.POST('/api/v1/team/users/{email}/disable', email(e))),
  enable: (e: string) => unwrap(apiClient.POST('/api/v1/team/users/{email}/enable', email(e))),
  resetPassword: (e: string) => unwrap(apiClient.POST('/api/v1/team/users/{email}/reset-password', email(e))),
  createToken: (body: { name: string; role: TeamRole }) =>
    unwrap(apiClient.POST('/api/v1/team/tokens', { body })),
  revokeToken: (name: string) =>
    unwrap(apiClient.DELETE('/api/v1/team/tokens/{name}', { params: { path: { name } } })),
};
