import { useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';
import { hasRole, useMe } from '../../api/session.ts';
import { TEAM_DEFAULTS, type TeamSearch, type TeamTab, updateTeamSearch } from '../../lib/team-search.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { ErrorState } from '../../ui/states.tsx';
import { AuditTab } from './audit.tsx';
import { route } from './route.tsx';
import { TokensTab } from './tokens.tsx';
import { UsersTab } from './users.tsx';

const TABS: { id: TeamTab; label: string }[] = [
  { id: 'users', label: 'Users' },
  { id: 'tokens', label: 'API tokens' },
  { id: 'audit', label: 'Audit log' },
];

export type SetTeamSearch = (patch: Partial<Record<keyof TeamSearch, unknown>>) => void;

export default function TeamPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const setSearch = useCallback<SetTeamSearch>(
    (patch) => void navigate({ search: (prev: TeamSearch) => updateTeamSearch(prev, patch) }),
    [navigate],
  );
  const tab = search.tab ?? TEAM_DEFAULTS.tab;

  if (!hasRole(me.role, 'admin')) {
    return (
      <ErrorState
        title="Admins only"
        error={new Error('Team and access is for admins; ask one to change your role.')}
      />
    );
  }
  return (
    <>
      <PageHeader
        title="Team and access"
        description="Who can sign in and with which role, API tokens for scripts, and the audit log of who did what."
      />
      <nav aria-label="Team sections" className="mb-3 flex gap-1 border-b border-slate-200">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            aria-current={tab === t.id ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              tab === t.id
                ? 'border-blue-700 text-blue-800'
                : 'border-transparent text-slate-700 hover:text-slate-900'
            }`}
            onClick={() => setSearch({ tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </nav>
      {tab === 'users' ? <UsersTab me={me} /> : null}
      {tab === 'tokens' ? <TokensTab /> : null}
      {tab === 'audit' ? <AuditTab search={search} setSearch={setSearch} /> : null}
    </>
  );
}
