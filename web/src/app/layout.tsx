import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouteContext } from '@tanstack/react-router';
import { Suspense, useState } from 'react';
import { hasRole, meQuery } from '../api/session.ts';
import { Loading } from '../ui/states.tsx';
import { GlobalSearch } from './global-search.tsx';
import { UserMenu } from './user-menu.tsx';

function SideNav({ collapsed }: { collapsed: boolean }) {
  const { nav } = useRouteContext({ from: '__root__' });
  const me = useQuery(meQuery).data;
  const items = nav.filter((n) => hasRole(me?.role, n.minRole)).sort((a, b) => a.order - b.order);
  return (
    <nav
      aria-label="Main"
      className={collapsed ? 'hidden' : 'w-52 shrink-0 border-r border-slate-200 bg-white'}
    >
      <ul className="space-y-0.5 p-2">
        {items.map((item) => (
          <li key={item.to}>
            <Link
              to={item.to}
              activeOptions={{ exact: item.to === '/', includeSearch: false }}
              className="flex items-center rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
              activeProps={{ className: 'bg-blue-50 font-semibold text-blue-900', 'aria-current': 'page' }}
            >
              {item.label}
              {item.badge ? <item.badge /> : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function SignedInLayout() {
  // a phone-sized window starts with the navigation folded away: the page needs the width
  const [collapsed, setCollapsed] = useState(
    () => typeof window !== 'undefined' && window.matchMedia?.('(max-width: 640px)').matches === true,
  );
  const me = useQuery(meQuery).data;
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-slate-200 bg-white px-3">
        <button
          type="button"
          className="btn btn-secondary px-2"
          aria-label={collapsed ? 'Show navigation' : 'Hide navigation'}
          aria-expanded={!collapsed}
          onClick={() => setCollapsed((c) => !c)}
        >
          <span aria-hidden>☰</span>
        </button>
        <Link to="/" className="mr-2 font-bold tracking-tight text-slate-900">
          AWA
        </Link>
        <div className="max-w-xl flex-1">
          <GlobalSearch />
        </div>
        <div className="ml-auto flex items-center gap-3">
          {me?.marketplace || me?.currency ? (
            <span className="text-sm text-slate-600" title="Marketplace and currency of all figures">
              {me.marketplace ?? ''}
              {me.marketplace && me.currency ? ' · ' : ''}
              {me.currency ?? ''}
            </span>
          ) : null}
          <UserMenu />
        </div>
      </header>
      <div className="flex flex-1">
        <SideNav collapsed={collapsed} />
        <main id="main" className="min-w-0 flex-1 p-4">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
