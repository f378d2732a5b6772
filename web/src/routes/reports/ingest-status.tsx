import { type ReactNode, useEffect, useRef, useState } from 'react';
import { queueIngest } from '../../api/reports.ts';
import { formatInt } from '../../lib/format.ts';
import {
  INGEST_STAGES,
  type IngestRequest,
  type IngestSummary,
  ingestOutcome,
  realRequest,
  requestOf,
} from '../../lib/reports-job.ts';
import { typeName } from '../../lib/reports-search.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { JobLost, JobProgress, useJob } from '../../ui/job-progress.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { ProblemsTable } from '../price-lists/problems-table.tsx';

const COUNTS: [keyof IngestSummary, string, string][] = [
  ['rows', 'Rows read', 'Data rows in the file'],
  ['inserted', 'New', 'Rows not loaded before'],
  ['updated', 'Updated', 'Rows that changed what was loaded'],
  ['replaced', 'Replaced', 'Settlement lines replaced by this report'],
  ['closed', 'Closed', 'Listings missing from a full report, now inactive'],
  ['kept', 'Kept', 'Rows that changed nothing'],
  ['duplicates', 'Duplicates', 'Rows already loaded or repeated in this file'],
  ['rejected', 'Rejected', 'Rows with a problem (listed below)'],
];

function Summary({ s, locale }: { s: IngestSummary; locale: string }) {
  return (
    <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 sm:grid-cols-4">
      {COUNTS.filter(
        ([k]) => k === 'rows' || k === 'rejected' || Number(s[k] ?? 0) > 0 || k === 'inserted',
      ).map(([key, label, hint]) => (
        <div key={key} title={hint}>
          <dt className="text-xs text-slate-600">{label}</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatInt(s[key], locale)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The ingest job in the URL: its stages while it runs, then the summary and the rejected lines. */
export function IngestStatus({
  jobId,
  locale,
  canIngest,
  onQueued,
  onDone,
  onClose,
}: {
  jobId: string;
  locale: string;
  canIngest: boolean;
  onQueued: (jobId: string, request: IngestRequest) => void;
  onDone: () => void;
  onClose: () => void;
}) {
  const q = useJob(jobId);
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // a finished ingest changes the history: refresh it once per job
  const doneId = q.data && ingestOutcome(q.data).kind === 'done' ? q.data.id : null;
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;
  useEffect(() => {
    if (doneId) onDoneRef.current();
  }, [doneId]);

  if (q.isPending) return <Loading label="Looking up the ingest job…" />;
  if (q.isError) return <JobLost error={q.error} onRetry={() => void q.refetch()} />;
  const job = q.data;
  const out = ingestOutcome(job);
  const request = requestOf(job);

  const again = (r: IngestRequest) => {
    setBusy(true);
    setError(null);
    queueIngest(r)
      .then((queued) => {
        setConfirm(false);
        onQueued(queued.job_id, r);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };

  const file =
    (out.kind === 'done' || out.kind === 'rejected' ? out.summary.file : undefined) ??
    request?.file_name ??
    request?.uri;
  const close = (
    <button type="button" className="btn btn-secondary" onClick={onClose}>
      Close
    </button>
  );

  return (
    <JobProgress job={job} stages={INGEST_STAGES} title={`Ingest of ${file ?? 'the report'}`}>
      {out.kind === 'done' ? (
        <DoneView
          s={out.summary}
          locale={locale}
          canRealIngest={
            canIngest && request !== null && out.summary.dry_run === true && out.summary.status !== 'skipped'
          }
          onReal={() => setConfirm(true)}
          close={close}
        />
      ) : out.kind === 'rejected' ? (
        <div className="mt-2 rounded-md border border-red-300 bg-red-50 p-3" role="alert">
          <p className="font-semibold text-red-900">
            {out.summary.file ?? 'The file'} was rejected: {out.message}
          </p>
          <Summary s={out.summary} locale={locale} />
          <ProblemsTable
            problems={out.problems}
            truncated={out.truncated}
            fileName={out.summary.file}
            locale={locale}
          />
          <div className="mt-2 flex flex-wrap gap-2">
            {canIngest && request ? (
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy}
                onClick={() => again({ ...request, skip_invalid: true })}
              >
                {request.dry_run ? 'Check the valid rows only (dry run)' : 'Ingest the valid rows'}
              </button>
            ) : null}
            {close}
          </div>
        </div>
      ) : out.kind === 'failed' ? (
        <div className="mt-2 space-y-2">
          <ErrorState error={new Error(out.message)} title="The ingest failed" />
          {close}
        </div>
      ) : null}
      {error && !confirm ? <ErrorState error={error} title="Could not queue the ingest" /> : null}
      {out.kind === 'done' && request ? (
        <ConfirmDialog
          open={confirm}
          onOpenChange={setConfirm}
          title="Ingest for real?"
          confirmLabel={`Ingest ${formatInt(out.summary.rows, locale)} rows`}
          busy={busy}
          error={error}
          onConfirm={() => again(realRequest(request))}
        >
          <p>
            {out.summary.file}: a {typeName(out.summary.type)} report, {formatInt(out.summary.rows, locale)}{' '}
            rows — {formatInt(out.summary.inserted, locale)} new, {formatInt(out.summary.updated, locale)}{' '}
            updated
            {out.summary.rejected ? `, ${formatInt(out.summary.rejected, locale)} invalid rows skipped` : ''}.
          </p>
          <p>
            The rows are written at once; figures that read this report (fees, ROI, returns) are refreshed.
          </p>
        </ConfirmDialog>
      ) : null}
    </JobProgress>
  );
}

function DoneView({
  s,
  locale,
  canRealIngest,
  onReal,
  close,
}: {
  s: IngestSummary;
  locale: string;
  canRealIngest: boolean;
  onReal: () => void;
  close: ReactNode;
}) {
  const problems = ingestOutcome({ id: '', status: 'failed', result: { ...s, status: 'rejected' } });
  const skipped = s.status === 'skipped';
  return (
    <div className="mt-2 rounded-md border border-emerald-300 bg-emerald-50 p-3">
      <p className="font-semibold text-emerald-950">
        {skipped
          ? `Already loaded: ${s.file ?? 'this file'} was ingested before; nothing changed. Tick “Ingest again” to redo it.`
          : s.dry_run
            ? `Dry run of ${s.file}: nothing was written. A ${typeName(s.type)} report; this is what a real ingest would do:`
            : `Ingested ${s.file}: a ${typeName(s.type)} report${s.status === 'partial' ? ' (valid rows only)' : ''}.`}
      </p>
      {skipped ? null : <Summary s={s} locale={locale} />}
      {s.date_order ? (
        <p className="mt-1 text-xs text-slate-700">
          Dates read {s.date_order.order === 'day_first' ? 'day first' : 'month first'}:{' '}
          {s.date_order.decided_by}
        </p>
      ) : null}
      {problems.kind === 'rejected' && problems.problems.length > 0 ? (
        <ProblemsTable
          problems={problems.problems}
          truncated={problems.truncated}
          fileName={s.file}
          locale={locale}
        />
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        {canRealIngest ? (
          <button type="button" className="btn btn-primary" onClick={onReal}>
            Ingest for real
          </button>
        ) : null}
        {close}
      </div>
    </div>
  );
}
