import { Fragment } from 'react';
import type { AgentState } from '../../api/agents.ts';
import { describeCron, formatSpan } from '../../lib/agents-cron.ts';
import { countPairs, runWords, staleText } from '../../lib/agents-status.ts';
import { formatInt } from '../../lib/format.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';

const STATUS_CLASS: Record<string, string> = {
  success: 'text-emerald-800',
  failed: 'text-red-700',
  tripped: 'text-amber-800',
  running: 'text-blue-800',
};

export function Counts({
  counts,
  locale,
}: {
  counts: Record<string, unknown> | null | undefined;
  locale: string;
}) {
  const pairs = countPairs(counts);
  if (pairs.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <span className="text-xs text-slate-700">
      {pairs.map(([k, v], i) => (
        <Fragment key={k}>
          {i > 0 ? ' · ' : ''}
          <span className="whitespace-nowrap">
            {k} <span className="font-medium tabular-nums">{formatInt(v, locale)}</span>
          </span>
        </Fragment>
      ))}
    </span>
  );
}

/** Each agent: schedule (cron and words), last run, status, duration, counts, error, stale flag. */
export function AgentsTable({
  agents,
  locale,
  now,
  canRun,
  selected,
  onHistory,
  onRun,
}: {
  agents: AgentState[];
  locale: string;
  now: number;
  canRun: boolean;
  selected: string | undefined;
  onHistory: (name: string) => void;
  onRun: (agent: AgentState) => void;
}) {
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Agents with their schedule and last run</caption>
        <thead className="bg-slate-100 text-left text-xs text-slate-700">
          <tr>
            <th scope="col" className="px-2 py-2">
              Agent
            </th>
            <th scope="col" className="px-2 py-2">
              Schedule (UTC)
            </th>
            <th scope="col" className="px-2 py-2">
              Last run
            </th>
            <th scope="col" className="px-2 py-2">
              Status
            </th>
            <th scope="col" className="num px-2 py-2">
              Duration
            </th>
            <th scope="col" className="px-2 py-2">
              Counts
            </th>
            <th scope="col" className="px-2 py-2">
              Next due
            </th>
            <th scope="col" className="px-2 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => {
            const run = a.last_run;
            const stale = staleText(a, now);
            return (
              <tr
                key={a.name}
                className={`border-t border-slate-100 align-top ${a.name === selected ? 'bg-blue-50' : ''}`}
                data-agent={a.name}
              >
                <th scope="row" className="min-w-60 px-2 py-2 text-left font-normal">
                  <span className="font-mono font-semibold">{a.name}</span>
                  {a.stale ? (
                    <span
                      className="ml-2 rounded-full border border-amber-400 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900"
                      title={stale ?? undefined}
                    >
                      ⚠ stale
                    </span>
                  ) : null}
                  <span className="block max-w-72 text-xs text-slate-600">{a.description}</span>
                  {stale ? (
                    <span className="block max-w-72 text-xs text-amber-900">
                      Missed its schedule: {stale}.
                    </span>
                  ) : null}
                </th>
                <td className="px-2 py-2">
                  {a.schedule ? (
                    <>
                      <code className="text-xs whitespace-nowrap">{a.schedule}</code>
                      <span className="block min-w-28 text-xs text-slate-700">
                        {describeCron(a.schedule) ?? ''}
                      </span>
                    </>
                  ) : (
                    <span className="text-xs text-slate-600">
                      {a.runnable ? 'on demand' : 'queued by uploads'}
                    </span>
                  )}
                </td>
                <td className="px-2 py-2 whitespace-nowrap">
                  <RelativeTime value={run?.started_at} />
                  {run?.dry_run ? <span className="block text-xs text-slate-600">dry run</span> : null}
                </td>
                <td
                  className={`px-2 py-2 whitespace-nowrap ${STATUS_CLASS[run?.status ?? ''] ?? 'text-slate-700'}`}
                >
                  {runWords(run?.status)}
                  {run?.error ? (
                    <span className="block max-w-64 text-xs whitespace-normal text-red-800">{run.error}</span>
                  ) : run?.reason && run.reason !== run.status ? (
                    <span className="block max-w-64 text-xs whitespace-normal text-slate-600">
                      {run.reason}
                    </span>
                  ) : null}
                </td>
                <td className="num px-2 py-2 whitespace-nowrap">{run ? formatSpan(run.duration_ms) : '—'}</td>
                <td className="max-w-96 min-w-48 px-2 py-2">
                  <Counts counts={run?.counts} locale={locale} />
                </td>
                <td className="px-2 py-2 whitespace-nowrap">
                  <RelativeTime value={a.next_due_at} />
                </td>
                <td className="px-2 py-2 whitespace-nowrap">
                  <div className="flex gap-1">
                    <button
                      type="button"
                      className="btn btn-secondary py-0.5"
                      aria-pressed={a.name === selected}
                      aria-label={`History of ${a.name}`}
                      onClick={() => onHistory(a.name)}
                    >
                      History
                    </button>
                    {canRun && a.runnable ? (
                      <button
                        type="button"
                        className="btn btn-primary py-0.5"
                        aria-label={`Run ${a.name} now`}
                        onClick={() => onRun(a)}
                      >
                        Run now
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
