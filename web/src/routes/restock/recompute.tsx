import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { jobDone, jobQuery, runRestock } from '../../api/restock.ts';
import { useLocale } from '../../api/session.ts';
import { formatInt, formatMoney } from '../../lib/format.ts';
import { InlineError } from '../../ui/states.tsx';

/** Admins: queue the restock agent as a dry run; the job id goes into the URL. */
export function RecomputeButton({ onQueued }: { onQueued: (jobId: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        className="btn btn-secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            onQueued((await runRestock(true)).job_id);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Queueing…' : 'Recompute now (dry run)'}
      </button>
      {error ? <InlineError error={error} /> : null}
    </>
  );
}

interface RunResult {
  week?: string;
  order_lines?: number;
  total_cost?: string;
  currency?: string;
}

/** Watches the recompute job until it is over (a reload resumes: the id is in the URL). */
export function RecomputeStatus({ jobId, onClose }: { jobId: string; onClose: () => void }) {
  const locale = useLocale();
  const job = useQuery(jobQuery(jobId));
  const done = jobDone(job.data);
  const j = job.data;
  const result = (j?.result ?? {}) as RunResult;
  const run = j?.runs[0];
  const counts = run?.counts ?? {};
  const failed = j && (j.status === 'failed' || j.status === 'cancelled');
  return (
    <section
      aria-label="Recompute"
      className={`card mb-3 p-3 text-sm ${failed ? 'border-red-300 bg-red-50' : ''}`}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">Recompute (dry run) · job {jobId.slice(0, 8)}</h2>
        <button type="button" className="link" onClick={onClose}>
          Dismiss
        </button>
      </div>
      {job.error && !j ? <InlineError error={job.error} /> : null}
      <p aria-live="polite" className="mt-1">
        {!j
          ? 'Asking for the job…'
          : done
            ? j.status === 'success'
              ? `Done: plan ${result.week ?? ''} would order ${formatInt(result.order_lines ?? 0, locale)} lines for ${formatMoney(result.total_cost, result.currency, locale)} (${formatInt(counts['skus'] ?? 0, locale)} SKUs). Dry run: nothing was written.`
              : `The run ended ${j.status}${j.error ? `: ${j.error}` : run?.error ? `: ${run.error}` : ''}.`
            : `Status: ${j.status}, stage ${j.stage}…`}
      </p>
      {!done ? (
        <div className="mt-2 h-1.5 w-full overflow-hidden rounded bg-slate-200" aria-hidden>
          <div className="h-full w-1/3 animate-pulse rounded bg-blue-600" />
        </div>
      ) : null}
    </section>
  );
}
