import { Link } from '@tanstack/react-router';

/**
 * "Vendors & price lists" is one entry in the navigation and two pages: this bar at the top of each
 * links them (a link per page, the current one marked for screen readers too).
 */
export function VendorsTabs({ current }: { current: 'price-lists' | 'vendors' }) {
  const tab = (to: '/price-lists' | '/vendors', label: string, id: typeof current) => (
    <Link
      to={to}
      aria-current={current === id ? 'page' : undefined}
      className={`-mb-px border-b-2 px-3 py-1.5 text-sm font-medium ${
        current === id
          ? 'border-blue-700 text-blue-800'
          : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
      }`}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Vendors and price lists" className="mb-4 flex gap-1 border-b border-slate-200">
      {tab('/price-lists', 'Price lists', 'price-lists')}
      {tab('/vendors', 'Vendors', 'vendors')}
    </nav>
  );
}
