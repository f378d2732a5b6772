import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type Job, jobQuery } from '../api/agents.ts';
import { useLocale } from '../api/session.ts';
import { formatInt } from '../lib/format.ts';
import { jobFinished } from '../lib/reports-job.ts';
import { ErrorState } from './states.tsx';

/** Follows GET /jobs/{id} until the job has finished (no id: nothing to follow). */
export function useJob(id: string | undefined) {
  return useQuery({ ...jobQuery(id ?? ''), enabled: Boolean(id) });
}

const STAGE_WORDS: Record<string, string> = {
  queued: 'Queued',
  downloading: 'Fetching the file',
  detecting: 'Reading the header',
  parsing: 'Reading rows',
  writing: 'Writing',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
};

const stageWords = (s: string) =>
  STAGE_WORDS[s] ?? s.charAt(0).toUpperCase() + s.slice(1).replaceAll('_', ' ');

/**
 * Where a background job stands: its stages as steps (done ✓, current ●, to come ○; the current one
 * marked for screen readers), rows read so far, and the job id to quote. `stages` lists the job's
 * stages in order (e.g. SPEC §4's ingest stages); a stage outside the list is shown by name.
 */
export function JobProgress({
  job,
  stages = ['queued', 'running', 'done'],
  title,
  children,
}: {
  job: Job;
  stages?: readonly string[];
  title: string;
  children?: ReactNode;
}) {
  const locale = useLocale();
  const finished = jobFinished(job.status);
  const failed = job.status === 'failed' || job.status === 'cancelled';
  const stage = job.stage === 'failed' ? 'failed' : job.stage;
  let at = stages.indexOf(stage);
  // a running stage the list does not name (an agent's own step) sits where "running" would
  if (at === -1 && !finished) at = Math.max(0, stages.indexOf('running'));
  const rows = Number(job.progress?.rows_read ?? Number.NaN);
  return (
    <div
      className="card p-3 text-sm"
      role="status"
      aria-live="polite"
      aria-busy={!finished || undefined}
      data-job-status={job.status}
    >
      <p className="font-medium">
        {title}:{' '}
        {finished
          ? failed
            ? '✗ failed'
            : job.status === 'success'
              ? '✓ finished'
              : `finished (${job.status})`
          : `${stageWords(stage)}…`}
      </p>
      <ol className="mt-2 flex flex-wrap items-center gap-x-1 gap-y-1 text-xs" aria-label="Stages">
        {stages.map((s, i) => {
          const state = finished
            ? failed && s === 'done'
              ? 'failed'
              : 'done'
            : i < at
              ? 'done'
              : i === at
                ? 'current'
                : 'todo';
          const mark = state === 'done' ? '✓' : state === 'current' ? '●' : state === 'failed' ? '✗' : '○';
          const cls =
            state === 'done'
              ? 'border-emerald-300 bg-emerald-50 text-emerald-900'
              : state === 'current'
                ? 'border-blue-400 bg-blue-50 font-semibold text-blue-900'
                : state === 'failed'
                  ? 'border-red-300 bg-red-50 text-red-900'
                  : 'border-slate-200 text-slate-600';
          return (
            <li
              key={s}
              aria-current={state === 'current' ? 'step' : undefined}
              className={`rounded-full border px-2 py-0.5 ${cls}`}
            >
              <span aria-hidden>{mark} </span>
              {state === 'failed' ? 'Failed' : stageWords(s)}
              {state === 'current' &&
              s === 'running' &&
              !stages.includes(job.stage) &&
              job.stage !== 'running'
                ? ` (${stageWords(job.stage)})`
                : ''}
            </li>
          );
        })}
      </ol>
      {!finished && Number.isFinite(rows) ? (
        <p className="mt-1 text-xs text-slate-700">{formatInt(rows, locale)} rows read</p>
      ) : null}
      {children}
      <p className="mt-1 text-xs text-slate-600">
        job <span className="font-mono select-all">{job.id}</span>
      </p>
    </div>
  );
}

/** The job's error when the API could not tell us about it (gone, network). */
export function JobLost({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return <ErrorState error={error} title="Lost track of the job" onRetry={onRetry} />;
}
