import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import type { Me } from '../../api/session.ts';
import {
  type OneTimePassword,
  type TeamRole,
  type TeamUser,
  teamApi,
  teamUsersQuery,
} from '../../api/team.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { type DataColumn, DataTable } from '../../ui/data-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Section } from '../../ui/section.tsx';
import { Empty, ErrorState, InlineError, Loading } from '../../ui/states.tsx';
import { SecretOnce } from '../../ui/team-secret.tsx';

export const ROLES: { id: TeamRole; label: string }[] = [
  { id: 'viewer', label: 'Viewer (reads)' },
  { id: 'ops', label: 'Ops (+ imports, approvals, repricer, orders)' },
  { id: 'admin', label: 'Admin (+ agents, team, settings)' },
];

/** The field a 400/409 names (`details.field`), to mark that input. */
export function fieldOf(error: unknown): string | undefined {
  const d = error instanceof ApiError ? (error.details as { field?: string } | undefined) : undefined;
  return d && typeof d === 'object' && !Array.isArray(d) ? d.field : undefined;
}

/** The role picker of the forms that create a user or a token (each role with what it may do). */
export function RoleField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: TeamRole;
  onChange: (role: TeamRole) => void;
}) {
  return (
    <div>
      <label htmlFor={id} className="label">
        Role
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value as TeamRole)}>
        {ROLES.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
    </div>
  );
}

type Pending =
  | { kind: 'role'; user: TeamUser; role: TeamRole }
  | { kind: 'disable' | 'enable' | 'reset'; user: TeamUser };

function NewUserForm({ onCreated }: { onCreated: (c: OneTimePassword) => void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<TeamRole>('viewer');
  const create = useMutation({
    mutationFn: () => teamApi.createUser({ email, name: name.trim() || undefined, role }),
    onSuccess: (c) => {
      setEmail('');
      setName('');
      onCreated(c);
      void queryClient.invalidateQueries({ queryKey: ['team'] });
    },
  });
  const bad = fieldOf(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form aria-label="Add a user" onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
      <div>
        <label htmlFor={`${id}-email`} className="label">
          E-mail
        </label>
        <input
          id={`${id}-email`}
          type="email"
          required
          autoComplete="off"
          className="input w-64"
          value={email}
          aria-invalid={bad === 'email' || undefined}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor={`${id}-name`} className="label">
          Name (optional)
        </label>
        <input
          id={`${id}-name`}
          className="input w-48"
          value={name}
          maxLength={100}
          aria-invalid={bad === 'name' || undefined}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <RoleField id={`${id}-role`} value={role} onChange={setRole} />
      <button type="submit" className="btn btn-primary" disabled={create.isPending || !email.trim()}>
        {create.isPending ? 'Creating…' : 'Create user'}
      </button>
      {create.error ? (
        <div className="basis-full">
          <InlineError error={create.error} />
        </div>
      ) : null}
    </form>
  );
}

function status(u: TeamUser) {
  if (u.disabled_at) return <span className="font-medium text-red-800">Disabled</span>;
  if (u.must_change_password) return <span className="text-amber-800">Active · one-time password</span>;
  return <span className="text-green-800">Active</span>;
}

export function UsersTab({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const users = useQuery(teamUsersQuery);
  const [secret, setSecret] = useState<{ title: string; c: OneTimePassword } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const act = useMutation({
    mutationFn: async (p: Pending) => {
      if (p.kind === 'role') return teamApi.changeRole(p.user.email, p.role);
      if (p.kind === 'disable') return teamApi.disable(p.user.email);
      if (p.kind === 'enable') return teamApi.enable(p.user.email);
      return teamApi.resetPassword(p.user.email);
    },
    onSuccess: (out, p) => {
      setPending(null);
      if (p.kind === 'reset') {
        setSecret({ title: `New one-time password for ${p.user.email}`, c: out as OneTimePassword });
      }
      void queryClient.invalidateQueries({ queryKey: ['team'] });
    },
  });
  const self = (u: TeamUser) => u.email === me.email;

  const columns: DataColumn<TeamUser>[] = [
    { id: 'email', header: 'E-mail', cell: (u) => u.email, hideable: false },
    { id: 'name', header: 'Name', cell: (u) => u.name },
    {
      id: 'role',
      header: 'Role',
      cell: (u) =>
        self(u) ? (
          <span title="another admin must change your role">{u.role} (you)</span>
        ) : (
          <select
            aria-label={`Role of ${u.email}`}
            className="input py-0.5"
            value={u.role}
            onChange={(e) => {
              act.reset();
              setPending({ kind: 'role', user: u, role: e.target.value as TeamRole });
            }}
          >
            {ROLES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id}
              </option>
            ))}
          </select>
        ),
    },
    { id: 'status', header: 'Status', cell: status },
    { id: 'last_login', header: 'Last sign-in', cell: (u) => <RelativeTime value={u.last_login_at} /> },
    { id: 'created', header: 'Added', cell: (u) => <RelativeTime value={u.created_at} /> },
    {
      id: 'actions',
      header: 'Actions',
      hideable: false,
      cell: (u) =>
        self(u) ? (
          <span className="text-xs text-slate-600">your account</span>
        ) : (
          <span className="flex gap-1">
            <button
              type="button"
              className="btn btn-secondary py-0.5"
              onClick={() => {
                act.reset();
                setPending({ kind: u.disabled_at ? 'enable' : 'disable', user: u });
              }}
            >
              {u.disabled_at ? 'Enable' : 'Disable'}
              <span className="sr-only"> {u.email}</span>
            </button>
            <button
              type="button"
              className="btn btn-secondary py-0.5"
              onClick={() => {
                act.reset();
                setPending({ kind: 'reset', user: u });
              }}
            >
              Reset password<span className="sr-only"> of {u.email}</span>
            </button>
          </span>
        ),
    },
  ];

  const dialog = pending ? describe(pending) : null;
  return (
    <div className="space-y-4">
      <Section
        title="Add a user"
        description="AWA makes a one-time password; they choose their own at first sign-in."
      >
        <NewUserForm onCreated={(c) => setSecret({ title: `One-time password for ${c.email}`, c })} />
      </Section>
      {secret ? (
        <SecretOnce title={secret.title} secret={secret.c.password} onDone={() => setSecret(null)}>
          Give it to {secret.c.name} ({secret.c.role}) in person or by a separate channel.
        </SecretOnce>
      ) : null}
      {users.isPending ? (
        <Loading label="Loading users…" />
      ) : users.error ? (
        <ErrorState
          error={users.error}
          title="The users could not be loaded"
          onRetry={() => void users.refetch()}
        />
      ) : (
        <DataTable
          columns={columns}
          rows={users.data.items}
          rowKey={(u) => u.email}
          caption="Users"
          empty={<Empty title="No users yet">Add the first one above.</Empty>}
        />
      )}
      <ConfirmDialog
        open={Boolean(pending)}
        onOpenChange={(o) => !o && setPending(null)}
        title={dialog?.title ?? ''}
        confirmLabel={dialog?.confirm ?? ''}
        danger={pending?.kind === 'disable' || pending?.kind === 'reset'}
        busy={act.isPending}
        error={act.error}
        onConfirm={() => pending && act.mutate(pending)}
      >
        <p>{dialog?.body}</p>
      </ConfirmDialog>
    </div>
  );
}

function describe(p: Pending): { title: string; body: string; confirm: string } {
  const who = p.user.email;
  switch (p.kind) {
    case 'role':
      return {
        title: 'Change role',
        body: `${who} goes from ${p.user.role} to ${p.role}. Their open sessions get the new role on their next click.`,
        confirm: `Make ${p.role}`,
      };
    case 'disable':
      return {
        title: 'Disable user',
        body: `${who} can no longer sign in, and every session of theirs ends now.`,
        confirm: 'Disable',
      };
    case 'enable':
      return {
        title: 'Enable user',
        body: `${who} can sign in again with their password.`,
        confirm: 'Enable',
      };
    case 'reset':
      return {
        title: 'Reset password',
        body: `${who} gets a new one-time password (shown once, next) and is signed out everywhere.`,
        confirm: 'Reset password',
      };
  }
}
