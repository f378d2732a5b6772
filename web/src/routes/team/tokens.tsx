import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { type ApiToken, type NewToken, type TeamRole, teamApi, teamTokensQuery } from '../../api/team.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { type DataColumn, DataTable } from '../../ui/data-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Section } from '../../ui/section.tsx';
import { Empty, ErrorState, InlineError, Loading } from '../../ui/states.tsx';
import { SecretOnce } from '../../ui/team-secret.tsx';
import { fieldOf, RoleField } from './users.tsx';

function NewTokenForm({ onCreated }: { onCreated: (t: NewToken) => void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<TeamRole>('viewer');
  const create = useMutation({
    mutationFn: () => teamApi.createToken({ name: name.trim(), role }),
    onSuccess: (t) => {
      setName('');
      onCreated(t);
      void queryClient.invalidateQueries({ queryKey: ['team', 'tokens'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form
      aria-label="Create an API token"
      onSubmit={submit}
      className="flex flex-wrap items-end gap-3"
      noValidate
    >
      <div>
        <label htmlFor={`${id}-name`} className="label">
          Token name
        </label>
        <input
          id={`${id}-name`}
          className="input w-56"
          value={name}
          maxLength={64}
          placeholder="e.g. sheets-sync"
          aria-describedby={`${id}-hint`}
          aria-invalid={fieldOf(create.error) === 'name' || undefined}
          onChange={(e) => setName(e.target.value)}
        />
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-600">
          Letters, digits, . _ @ -
        </p>
      </div>
      <RoleField id={`${id}-role`} value={role} onChange={setRole} />
      <button type="submit" className="btn btn-primary mb-4" disabled={create.isPending || !name.trim()}>
        {create.isPending ? 'Creating…' : 'Create token'}
      </button>
      {create.error ? (
        <div className="basis-full">
          <InlineError error={create.error} />
        </div>
      ) : null}
    </form>
  );
}

export function TokensTab() {
  const queryClient = useQueryClient();
  const [showRevoked, setShowRevoked] = useState(false);
  const tokens = useQuery(teamTokensQuery(showRevoked));
  const [created, setCreated] = useState<NewToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (t: ApiToken) => teamApi.revokeToken(t.name),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: ['team', 'tokens'] });
    },
  });

  const columns: DataColumn<ApiToken>[] = [
    { id: 'name', header: 'Name', cell: (t) => t.name, hideable: false },
    { id: 'role', header: 'Role', cell: (t) => t.role },
    {
      id: 'prefix',
      header: 'Starts with',
      cell: (t) => <code className="font-mono text-xs">{t.prefix}…</code>,
    },
    { id: 'created', header: 'Created', cell: (t) => <RelativeTime value={t.created_at} /> },
    {
      id: 'last_used',
      header: 'Last used',
      cell: (t) =>
        t.last_used_at ? (
          <RelativeTime value={t.last_used_at} />
        ) : (
          <span className="text-slate-600">never</span>
        ),
    },
    {
      id: 'state',
      header: 'State',
      cell: (t) =>
        t.revoked_at ? (
          <span className="text-slate-600">
            Revoked <RelativeTime value={t.revoked_at} />
          </span>
        ) : (
          <span className="text-green-800">Active</span>
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      hideable: false,
      cell: (t) =>
        t.revoked_at ? null : (
          <button
            type="button"
            className="btn btn-secondary py-0.5"
            onClick={() => {
              revoke.reset();
              setRevoking(t);
            }}
          >
            Revoke<span className="sr-only"> token {t.name}</span>
          </button>
        ),
    },
  ];

  return (
    <div className="space-y-4">
      <Section
        title="Create an API token"
        description="For scripts and other tools: send it as Authorization: Bearer <token>. It acts with the role you pick."
      >
        <NewTokenForm onCreated={setCreated} />
      </Section>
      {created ? (
        <SecretOnce title={`Token ${created.name}`} secret={created.token} onDone={() => setCreated(null)}>
          A {created.role} token. Store it in the script's secret store.
        </SecretOnce>
      ) : null}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
        Show revoked tokens
      </label>
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.error ? (
        <ErrorState
          error={tokens.error}
          title="The tokens could not be loaded"
          onRetry={() => void tokens.refetch()}
        />
      ) : (
        <DataTable
          columns={columns}
          rows={tokens.data.items}
          rowKey={(t) => `${t.name}|${t.created_at}`}
          caption="API tokens"
          empty={<Empty title="No API tokens">Create one above, or with awa token create.</Empty>}
        />
      )}
      <ConfirmDialog
        open={Boolean(revoking)}
        onOpenChange={(o) => !o && setRevoking(null)}
        title="Revoke token"
        confirmLabel="Revoke"
        danger
        busy={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        <p>
          Every request with the {revoking?.role} token “{revoking?.name}” is refused from now on, in every
          AWA process. This cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
