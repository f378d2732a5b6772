import { useState } from 'react';
import { formatInt, formatNumber } from '../../lib/format.ts';
import { type ImportSummary, problemsOf, type UploadState, uploadPercent } from '../../lib/upload-machine.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { ErrorState } from '../../ui/states.tsx';
import { ProblemsTable } from './problems-table.tsx';
import { asApiError } from './use-upload.ts';

function bytes(n: number, locale: string): string {
  return n < 1024 * 1024
    ? `${formatNumber(n / 1024, locale, 1)} KB`
    : `${formatNumber(n / 1024 / 1024, locale, 1)} MB`;
}

function Spinner() {
  return (
    <span
      className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-slate-700"
      aria-hidden
    />
  );
}

function JobId({ id }: { id: string }) {
  return (
    <span className="text-xs text-slate-700">
      job <span className="font-mono select-all">{id}</span>
    </span>
  );
}

const COUNTS: [keyof ImportSummary, string, string][] = [
  ['rows', 'Rows read', 'Data rows in the file (title and blank rows not counted)'],
  ['inserted', 'New prices', 'Items this vendor had no price for'],
  ['updated', 'Changed prices', 'Items whose cost, currency or terms changed'],
  ['unchanged', 'Unchanged', 'Items already at this price'],
  ['duplicates', 'Duplicates', 'Items listed more than once: the last row wins'],
  ['rejected', 'Rejected rows', 'Rows with a problem (listed below)'],
  ['history', 'Cost changes recorded', 'Entries added to the price history'],
];

function Summary({ s, locale, only }: { s: ImportSummary; locale: string; only?: (keyof ImportSummary)[] }) {
  const columns = Object.entries(s.columns ?? {});
  return (
    <div className="mt-2">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        {COUNTS.filter(([key]) => !only || only.includes(key)).map(([key, label, hint]) => (
          <div key={key} title={hint}>
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{formatInt(s[key], locale)}</dd>
          </div>
        ))}
      </dl>
      {columns.length > 0 ? (
        <p className="mt-2 text-xs text-slate-600">
          Columns read:{' '}
          {columns.map(([field, header], i) => (
            <span key={field}>
              {i > 0 ? ', ' : ''}
              {field} ← “{header}”
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}

export interface UploadStatusProps {
  state: UploadState;
  /** Whether the page still has the file (not after a reload): "again" actions need it. */
  hasFile: boolean;
  locale: string;
  onAgain: (patch: { dryRun?: boolean; skipInvalid?: boolean }) => void;
  onRetry: () => void;
  onReset: () => void;
}

/** Where the upload stands: bytes, the queue, rows read, then the outcome and what to do next. */
export function UploadStatus({ state: s, hasFile, locale, onAgain, onRetry, onReset }: UploadStatusProps) {
  const [confirm, setConfirm] = useState(false);
  if (s.kind === 'idle') return null;
  const fileName = 'request' in s ? s.request?.fileName : undefined;
  const vendor = 'request' in s ? s.request?.options.vendor : undefined;

  if (s.kind === 'uploading') {
    const pct = uploadPercent(s);
    return (
      <div role="status" className="card p-3 text-sm">
        <p className="font-medium">Uploading {s.request.fileName}…</p>
        <progress
          className="mt-2 h-2 w-full"
          max={s.total || 1}
          value={s.loaded}
          aria-label="Upload progress"
        />
        <p className="mt-1 flex items-center gap-3 text-xs text-slate-600">
          {bytes(s.loaded, locale)} of {bytes(s.total, locale)}
          {pct === null ? '' : ` (${pct} %)`}
          <button type="button" className="btn btn-secondary py-0.5" onClick={onReset}>
            Cancel
          </button>
        </p>
      </div>
    );
  }
  if (s.kind === 'queued' || s.kind === 'importing') {
    return (
      <div role="status" className="card flex flex-wrap items-center gap-3 p-3 text-sm">
        <Spinner />
        <span className="font-medium">
          {s.kind === 'queued'
            ? 'Queued: waiting for a worker…'
            : `Importing${s.stage && s.stage !== 'running' ? ` (${s.stage})` : ''}: ${formatInt(s.rowsRead, locale)} rows read`}
        </span>
        {fileName ? <span className="text-slate-600">{fileName}</span> : null}
        <JobId id={s.jobId} />
      </div>
    );
  }
  if (s.kind === 'failed') {
    const canRetry = s.phase === 'poll' || hasFile;
    return (
      <div className="space-y-2">
        <ErrorState
          error={asApiError(s.error)}
          title={
            s.phase === 'upload'
              ? `The upload of ${fileName ?? 'the file'} failed`
              : s.phase === 'poll'
                ? 'Lost track of the import job'
                : 'The import failed'
          }
        />
        <div className="flex flex-wrap items-center gap-2">
          {canRetry ? (
            <button type="button" className="btn btn-primary" onClick={onRetry}>
              {s.phase === 'poll' ? 'Check the job again' : 'Try again'}
            </button>
          ) : null}
          <button type="button" className="btn btn-secondary" onClick={onReset}>
            Start over
          </button>
          {s.jobId ? <JobId id={s.jobId} /> : null}
        </div>
      </div>
    );
  }
  if (s.kind === 'rejected') {
    const dry = s.request?.options.dryRun ?? s.summary.dry_run ?? true;
    return (
      <div className="rounded-md border border-red-300 bg-red-50 p-3 text-sm" role="alert">
        <p className="font-semibold text-red-900">
          {s.summary.file ?? fileName ?? 'The file'} was rejected: {s.message}
        </p>
        <p className="mt-1 text-red-900">
          Fix the rows below in the file and upload it again, or import only the valid rows.
        </p>
        {/* a rejected file is not merged: only what was read counts */}
        <Summary s={s.summary} locale={locale} only={['rows', 'rejected']} />
        <ProblemsTable
          problems={s.problems}
          truncated={s.truncated}
          fileName={s.summary.file ?? fileName}
          locale={locale}
        />
        <div className="mt-3 flex flex-wrap items-center gap-2">
          {hasFile ? (
            <button type="button" className="btn btn-primary" onClick={() => onAgain({ skipInvalid: true })}>
              {dry ? 'Check the valid rows only (dry run)' : 'Import the valid rows'}
            </button>
          ) : (
            <span className="text-xs text-slate-700">
              To import the valid rows, choose the file again with “Skip invalid rows”.
            </span>
          )}
          <button type="button" className="btn btn-secondary" onClick={onReset}>
            Upload a corrected file
          </button>
          <JobId id={s.jobId} />
        </div>
      </div>
    );
  }
  // done
  const sum = s.summary;
  const skipped = sum.status === 'skipped';
  const dry = sum.dry_run ?? s.request?.options.dryRun ?? false;
  const changes = (sum.inserted ?? 0) + (sum.updated ?? 0);
  const problems = problemsOf(sum.rejections);
  return (
    <div className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm" role="status">
      <p className="font-semibold text-emerald-950">
        {skipped
          ? `Already imported: ${sum.file ?? fileName ?? 'this file'} was imported for ${sum.vendor ?? vendor} before; nothing changed.`
          : dry
            ? `Dry run of ${sum.file ?? fileName}: nothing was written. This is what a real import would do:`
            : `Imported ${sum.file ?? fileName} for ${sum.vendor ?? vendor}.`}
      </p>
      {skipped ? (
        <p className="mt-1 text-emerald-950">Tick “Import again even if unchanged” to import it anyway.</p>
      ) : (
        <Summary s={sum} locale={locale} />
      )}
      {problems.length > 0 ? (
        <ProblemsTable
          problems={problems}
          truncated={sum.rejections_truncated === true}
          fileName={sum.file}
          locale={locale}
        />
      ) : null}
      <div className="mt-3 flex flex-wrap items-center gap-2">
        {dry && !skipped ? (
          hasFile ? (
            <button type="button" className="btn btn-primary" onClick={() => setConfirm(true)}>
              Import for real
            </button>
          ) : (
            <span className="text-xs text-emerald-950">
              To import for real, choose the file again and untick “Dry run first”.
            </span>
          )
        ) : null}
        <button type="button" className="btn btn-secondary" onClick={onReset}>
          Upload another file
        </button>
        <JobId id={s.jobId} />
      </div>
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title="Import for real?"
        confirmLabel={`Import: ${formatInt(sum.inserted, locale)} new, ${formatInt(sum.updated, locale)} changed`}
        onConfirm={() => {
          setConfirm(false);
          onAgain({ dryRun: false });
        }}
      >
        <p>
          {sum.file ?? fileName} for {sum.vendor ?? vendor}: {formatInt(sum.inserted, locale)} new prices,{' '}
          {formatInt(sum.updated, locale)} changed, {formatInt(sum.unchanged, locale)} unchanged
          {sum.rejected ? `, ${formatInt(sum.rejected, locale)} invalid rows skipped` : ''}.
        </p>
        <p>
          {changes > 0
            ? 'The new costs apply at once and ROI is recomputed for the affected products.'
            : 'No price changes: the import only records the file.'}
        </p>
      </ConfirmDialog>
    </div>
  );
}
