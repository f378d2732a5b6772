import * as Menu from '@radix-ui/react-dropdown-menu';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { apiClient, setCsrfToken, unwrap } from '../api/client.ts';
import { meQuery } from '../api/session.ts';

export function UserMenu() {
  const me = useQuery(meQuery).data;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  if (!me) return null;

  async function signOut() {
    try {
      await unwrap(apiClient.POST('/api/v1/auth/logout'));
    } catch (err) {
      // a session that is already gone is signed out all the same; anything else is shown
      const status = (err as { status?: number }).status;
      if (status !== 401) {
        setError((err as Error).message);
        return;
      }
    }
    setCsrfToken(null);
    queryClient.clear();
    await navigate({ to: '/login', search: {} });
  }

  return (
    <Menu.Root>
      <Menu.Trigger className="btn btn-secondary" aria-label={`User menu: ${me.name}`}>
        <span className="max-w-40 truncate">{me.name}</span>
        <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-600">{me.role}</span>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-52 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          <div className="px-3 py-2 text-sm">
            <div className="font-medium text-slate-900">{me.name}</div>
            {me.email ? <div className="text-slate-600">{me.email}</div> : null}
            <div className="text-slate-600">Role: {me.role}</div>
          </div>
          <Menu.Separator className="my-1 h-px bg-slate-200" />
          <Menu.Item
            className="cursor-pointer rounded px-3 py-2 text-sm outline-none data-[highlighted]:bg-slate-100"
            onSelect={() => void signOut()}
          >
            Sign out
          </Menu.Item>
          {error ? (
            <p role="alert" className="px-3 py-1 text-xs text-red-800">
              {error}
            </p>
          ) : null}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
