import type { Command } from 'commander';
import { SEVERITIES, TASK_TYPES } from '../domains/decisions/tasks.types.ts';
import type { DemoSummary } from '../domains/demo/demo.service.ts';
import { withRuntime } from './context.ts';
import { print, runCommand, table } from './output.ts';

const eur = (n: number) => `€${n.toFixed(2)}`;

function agentLine(a: DemoSummary['agents'][number]): string {
  if (a.status === 'not_available') return `  ${a.agent}: not part of this version yet`;
  if (a.status === 'not_run') return `  ${a.agent}: no run recorded yet`;
  const counts = Object.entries(a.counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const why = a.error ?? a.reason;
  return `  ${a.agent}: ${a.status}${a.this_load ? '' : ' (earlier run)'}  ${counts}${why ? `  (${why})` : ''}`;
}

/** What the rules and the open order did in the agents' runs. */
function operations(s: DemoSummary): string[] {
  const c = s.counts;
  const g = s.repricer_log.guards;
  const guards = Object.entries(g)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const out = [
    `  ${c.repricer_rules} repricer rules (MAP on ${s.map_brand ?? 'one brand'}, min/max bounds, hold, match buy box)`,
    `  repricer guards in the last run: ${guards || 'none'}` +
      (s.repricer_log.held ? `; ${s.repricer_log.held} held by rule` : ''),
  ];
  for (const l of s.on_order) {
    const plan =
      l.plan_on_order === null
        ? 'not in a restock plan yet'
        : `restock plan counts ${l.plan_on_order} on order, ` +
          (l.plan_qty ? `orders ${l.plan_qty} more` : 'orders no more');
    out.push(`  ${l.reference} (${l.vendor}): ${l.ordered} × ${l.sku} open; ${plan}`);
  }
  return out;
}

/** The decision inbox the load left: open tasks by severity, then by type in the README's order. */
function inbox(s: DemoSummary): string[] {
  const i = s.inbox;
  if (!i) return [];
  const severities = [...SEVERITIES]
    .reverse()
    .map((k) => `${i.by_severity[k] ?? 0} ${k}`)
    .join(', ');
  const types = TASK_TYPES.filter((t) => i.by_type[t]).map((t) => [`  ${t}`, String(i.by_type[t])]);
  return ['', `Decision inbox: ${i.open} open tasks (${severities}):`, table(types)];
}

function dryRun(s: DemoSummary): string {
  const rows = Object.entries(s.written).map(([k, v]) => [`  ${k}`, String(v)]);
  return [
    `Dry run: nothing was written. The demo would hand these rows to AWA's importers and tables`,
    `(the 90 days up to ${s.as_of.slice(0, 10)}; rows already loaded are skipped by a real load):`,
    table(rows),
  ].join('\n');
}

function human(s: DemoSummary): string {
  if (s.status === 'dry_run') return dryRun(s);
  const c = s.counts;
  const head =
    s.status === 'unchanged'
      ? 'Demo data already loaded for today: nothing new was written.'
      : `Demo data loaded in ${(s.duration_ms / 1000).toFixed(1)} s (amazon.${s.marketplace.toLowerCase()}, ` +
        `the 90 days up to ${s.as_of.slice(0, 10)}).`;
  const best = s.best_offers.map((o) => [
    o.asin,
    `${o.roi_pct.toFixed(1)} %`,
    eur(o.buybox),
    eur(o.price),
    eur(o.landed_cost),
    eur(o.profit),
    o.vendor,
    o.title.length > 48 ? `${o.title.slice(0, 47)}…` : o.title,
  ]);
  return [
    head,
    '',
    `  ${c.vendors} vendors, ${c.products} products, ${c.offers} vendor offers, ${c.listings} active listings`,
    `  ${c.buybox_points} buy box points, ${c.metric_points} sales-rank points, ${c.fees} fee rows, ` +
      `${c.lanes} freight lanes, ${c.fx_rates} exchange rates`,
    `  ${c.units_shipped} units shipped over ${c.shipment_days} days, ${c.returns} returns, ` +
      `${c.reimbursements} reimbursements`,
    `  ${c.settlements} settlements (${c.settlement_lines} order, fee and refund lines)`,
    `  ROI: ${c.roi_offers} offers, ${c.roi_with_figures} with an ROI (the rest are flagged and say why), ` +
      `${c.roi_with_returns_allowance} with a returns allowance from refunds`,
    ...operations(s),
    '',
    'Best offers by ROI (NET: what the seller keeps of the buy box, net of VAT when VAT-registered):',
    table([['ASIN', 'ROI', 'BUY BOX', 'NET', 'LANDED', 'PROFIT', 'VENDOR', 'TITLE'], ...best])
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
    '',
    'Agents:',
    ...s.agents.map(agentLine),
    ...inbox(s),
    '',
    'Next:',
    '  awa start                                    # the API on http://localhost:8000, docs at /docs',
    '  awa token create --role admin --name me      # prints a token once',
    '  curl -H "Authorization: Bearer $TOKEN" "http://localhost:8000/api/v1/roi?page_size=10"',
    '  curl -H "Authorization: Bearer $TOKEN" http://localhost:8000/api/v1/stats/kpi',
    `  curl -H "Authorization: Bearer $TOKEN" http://localhost:8000/api/v1/sku/${s.best_offers[0]?.asin ?? 'ASIN'}`,
    '  curl -H "Authorization: Bearer $TOKEN" "http://localhost:8000/api/v1/scores?page_size=10"',
    '  curl -H "Authorization: Bearer $TOKEN" "http://localhost:8000/api/v1/repricer/log?changed=true"',
    '  curl -H "Authorization: Bearer $TOKEN" http://localhost:8000/api/v1/restock/plans',
    '  curl -H "Authorization: Bearer $TOKEN" http://localhost:8000/api/v1/agents/runs',
    '  awa tasks list                               # the decision inbox, most severe first',
    '',
    ...(s.login
      ? [
          'Web app (served by awa start): the demo admin gets a new password on every awa demo.',
          `Open ${s.login.url} and sign in as ${s.login.email} / ${s.login.password}`,
        ]
      : []),
  ].join('\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'load a realistic demo business (vendors, products, 90 days of Amazon data) and run the agents',
    )
    .option('--force', 'load it even into a database that holds other vendors')
    .option('--dry-run', 'generate the data set and report what would be loaded; write nothing')
    .option('--json', 'print one JSON object')
    .action(async (o: { force?: boolean; dryRun?: boolean; json?: boolean }) => {
      await runCommand(o, async () => {
        const { loadDemo } = await import('../domains/demo/demo.service.ts');
        return withRuntime(async (rt) => {
          const onStep =
            o.json || !process.stderr.isTTY ? undefined : (m: string) => process.stderr.write(`… ${m}\n`);
          const s = await loadDemo(rt, { force: o.force, dryRun: o.dryRun, onStep });
          print(o, s, () => human(s));
          return 0;
        });
      });
    });
}
