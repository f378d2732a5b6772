import { Link } from '@tanstack/react-router';
import { PageHeader } from '../../ui/page-header.tsx';
import { LogTab } from './log-tab.tsx';
import { route } from './route.tsx';
import { RulesTab } from './rules-tab.tsx';
import { SimulateTab } from './simulate-tab.tsx';

const TAB_LABELS = { rules: 'Rules', simulate: 'Simulate', log: 'Log' } as const;
const DESCRIPTIONS = {
  rules:
    'Per-SKU bounds and strategy. The floor is the lowest price that keeps your minimum ROI; a rule can only raise it.',
  simulate:
    'What the repricer would do now, per SKU, before anything is saved. Select changes to apply them.',
  log: 'Every decision the repricer made, with the reason in one line. A guard is a rule that stopped or shaped a price.',
} as const;

export default function RepricerPage() {
  const search = route.useSearch();
  const tab = search.tab ?? 'rules';
  return (
    <>
      <PageHeader title="Repricer" description={DESCRIPTIONS[tab]} />
      <nav aria-label="Repricer views" className="mb-3 flex gap-1 border-b border-slate-200">
        {(['rules', 'simulate', 'log'] as const).map((t) => (
          <Link
            key={t}
            to="/repricer"
            search={t === 'rules' ? {} : { tab: t }}
            aria-current={t === tab ? 'page' : undefined}
            className={`-mb-px rounded-t border px-4 py-1.5 text-sm font-medium ${
              t === tab
                ? 'border-slate-200 border-b-white bg-white text-slate-900'
                : 'border-transparent text-slate-600 hover:text-slate-900'
            }`}
          >
            {TAB_LABELS[t]}
          </Link>
        ))}
      </nav>
      {tab === 'rules' ? <RulesTab /> : tab === 'simulate' ? <SimulateTab /> : <LogTab />}
    </>
  );
}
