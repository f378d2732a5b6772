import { type FormEvent, useId, useRef, useState } from 'react';
import { type Detection, detectRemote, detectUpload, queueIngest } from '../../api/reports.ts';
import { formatInt, formatNumber } from '../../lib/format.ts';
import type { IngestRequest } from '../../lib/reports-job.ts';
import { CheckOption } from '../../ui/check-option.tsx';
import { InlineError } from '../../ui/states.tsx';

const ACCEPT = '.csv,.tsv,.txt,.gz,.xlsx';
const REMOTE = /^(s3|https?):\/\/\S+$/i;

function sizeText(bytes: number, locale: string): string {
  if (bytes < 1024) return `${formatInt(bytes, locale)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, locale, 1)} KB`;
  return `${formatNumber(bytes / 1024 / 1024, locale, 1)} MB`;
}

const DELIMITERS: Record<string, string> = {
  '\t': 'tab-separated',
  ',': 'comma-separated',
  ';': 'semicolon-separated',
};

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; loaded: number; total: number }
  | { kind: 'detecting' }
  | { kind: 'detected'; d: Detection }
  | { kind: 'error'; error: unknown; d?: Detection };

/**
 * Step 1: a file (uploaded once, with its bytes counted) or an s3:// / https:// URI; its type read
 * from the header and shown before anything is ingested. Step 2: ingest it, dry run by default.
 */
export function LoadForm({
  csrfToken,
  locale,
  busy,
  onQueued,
}: {
  csrfToken: string | null | undefined;
  locale: string;
  busy: boolean;
  onQueued: (jobId: string, request: IngestRequest) => void;
}) {
  const id = useId();
  const [source, setSource] = useState<'file' | 'uri'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [uri, setUri] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [dryRun, setDryRun] = useState(true);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [force, setForce] = useState(false);
  const [queueing, setQueueing] = useState(false);
  const abort = useRef<(() => void) | null>(null);

  const detect = (e: FormEvent) => {
    e.preventDefault();
    setFieldError(null);
    if (source === 'file') {
      if (!file) return setFieldError('Choose the report file');
      setPhase({ kind: 'uploading', loaded: 0, total: file.size });
      const send = detectUpload(file, {}, csrfToken, (loaded, total) =>
        setPhase({ kind: 'uploading', loaded, total }),
      );
      abort.current = send.abort;
      send.promise
        .then((d) => setPhase({ kind: 'detected', d }))
        .catch((error: unknown) => setPhase({ kind: 'error', error }))
        .finally(() => {
          abort.current = null;
        });
      return;
    }
    const u = uri.trim();
    if (!REMOTE.test(u)) return setFieldError('An s3://bucket/key or https:// address of the report');
    setPhase({ kind: 'detecting' });
    detectRemote({ uri: u })
      .then((d) => setPhase({ kind: 'detected', d }))
      .catch((error: unknown) => setPhase({ kind: 'error', error }));
  };

  const readAs = (d: Detection, type: string) => {
    setPhase({ kind: 'detecting' });
    detectRemote(d.object_key ? { object_key: d.object_key, type } : { uri: d.uri, type })
      .then((next) => setPhase({ kind: 'detected', d: next }))
      .catch((error: unknown) => setPhase({ kind: 'error', error, d }));
  };

  const ingest = (d: Detection) => {
    if (!d.type) return;
    const request: IngestRequest = {
      ...(d.object_key ? { object_key: d.object_key, file_name: d.file_name } : { uri: d.uri }),
      type: d.type,
      dry_run: dryRun,
      skip_invalid: skipInvalid,
      force,
    };
    setQueueing(true);
    queueIngest(request)
      .then((q) => {
        onQueued(q.job_id, request);
        setPhase({ kind: 'idle' });
        setFile(null);
        setUri('');
      })
      .catch((error: unknown) => setPhase({ kind: 'error', error, d }))
      .finally(() => setQueueing(false));
  };

  const d = phase.kind === 'detected' ? phase.d : phase.kind === 'error' ? phase.d : undefined;
  const working = phase.kind === 'uploading' || phase.kind === 'detecting';
  return (
    <div className="space-y-3">
      <form aria-label="Load an Amazon report" onSubmit={detect} className="space-y-3" noValidate>
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="label">Source</legend>
          {(['file', 'uri'] as const).map((s) => (
            <label key={s} className="flex items-center gap-1.5">
              <input
                type="radio"
                name={`${id}-source`}
                checked={source === s}
                onChange={() => {
                  setSource(s);
                  setFieldError(null);
                }}
              />
              {s === 'file' ? 'Upload a file' : 'From an s3:// or https:// address'}
            </label>
          ))}
        </fieldset>
        {source === 'file' ? (
          <div>
            <label className="label" htmlFor={`${id}-file`}>
              Report file (TXT, TSV, CSV, .gz or XLSX, as Seller Central gives it)
            </label>
            <input
              id={`${id}-file`}
              type="file"
              accept={ACCEPT}
              className="block text-sm"
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${id}-err` : undefined}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </div>
        ) : (
          <div>
            <label className="label" htmlFor={`${id}-uri`}>
              Report address
            </label>
            <input
              id={`${id}-uri`}
              className="input w-full max-w-xl font-mono"
              value={uri}
              placeholder="s3://bucket/reports/fee-preview.txt"
              onChange={(e) => setUri(e.target.value)}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${id}-err` : undefined}
            />
          </div>
        )}
        {fieldError ? (
          <p id={`${id}-err`} className="text-sm text-red-700">
            {fieldError}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" className="btn btn-primary" disabled={working || busy}>
            {source === 'file' ? 'Upload and detect the type' : 'Detect the type'}
          </button>
          {phase.kind === 'uploading' ? (
            <button type="button" className="btn btn-secondary" onClick={() => abort.current?.()}>
              Cancel
            </button>
          ) : null}
        </div>
      </form>

      {phase.kind === 'uploading' ? (
        <div role="status" className="text-sm">
          <progress
            className="h-2 w-full"
            max={phase.total || 1}
            value={phase.loaded}
            aria-label="Upload progress"
          />
          <p className="text-xs text-slate-600">
            {sizeText(phase.loaded, locale)} of {sizeText(phase.total, locale)} uploaded
          </p>
        </div>
      ) : phase.kind === 'detecting' ? (
        <p role="status" className="text-sm text-slate-700">
          Reading the header…
        </p>
      ) : null}
      {phase.kind === 'error' ? <InlineError error={phase.error} /> : null}

      {d ? (
        <section
          aria-label="Detected report"
          className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
        >
          {d.type ? (
            <p>
              <span className="font-semibold">Detected: {d.label}</span>{' '}
              <code className="rounded bg-white px-1 text-xs">{d.type}</code>
            </p>
          ) : (
            <p role="alert" className="text-red-900">
              <span className="font-semibold">Not recognised: </span>
              {d.problem}
            </p>
          )}
          <p className="mt-1 text-xs text-slate-700">
            {d.file_name} · {sizeText(d.size, locale)}
            {d.format === 'xlsx'
              ? ' · XLSX'
              : d.delimiter
                ? ` · ${DELIMITERS[d.delimiter] ?? `“${d.delimiter}”-separated`}`
                : ''}
            {d.compressed ? ' · gzip' : ''}
            {d.header_line ? ` · header on line ${formatInt(d.header_line, locale)}` : ''} · marketplace{' '}
            {d.marketplace}
          </p>
          {Object.keys(d.columns).length > 0 ? (
            <details className="mt-1 text-xs text-slate-700">
              <summary className="cursor-pointer">
                {formatInt(Object.keys(d.columns).length, locale)} columns recognised
              </summary>
              <p className="mt-1">
                {Object.entries(d.columns)
                  .map(([field, header]) => (field === header ? field : `${field} ← “${header}”`))
                  .join(', ')}
              </p>
            </details>
          ) : null}
          <div className="mt-2">
            <label className="label" htmlFor={`${id}-type`}>
              Read it as
            </label>
            <select
              id={`${id}-type`}
              className="input"
              value={d.type ?? ''}
              disabled={working}
              onChange={(e) => e.target.value && readAs(d, e.target.value)}
            >
              {d.type ? null : <option value="">Choose the report type…</option>}
              {d.known_types.map((k) => (
                <option key={k.type} value={k.type}>
                  {k.label}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="mt-3 space-y-1.5">
            <legend className="label">Options</legend>
            <CheckOption checked={dryRun} onChange={setDryRun} title="Dry run first">
              Read and check every row and count what would change; write nothing.
            </CheckOption>
            <CheckOption checked={skipInvalid} onChange={setSkipInvalid} title="Skip invalid rows">
              Ingest the valid rows and report the rest. Off: one invalid row stops the whole file.
            </CheckOption>
            <CheckOption checked={force} onChange={setForce} title="Ingest again even if already loaded">
              The same file is normally skipped the second time.
            </CheckOption>
          </fieldset>
          <button
            type="button"
            className="btn btn-primary mt-3"
            disabled={!d.type || queueing || busy || working}
            onClick={() => ingest(d)}
          >
            {dryRun ? 'Ingest (dry run)' : 'Ingest'}
          </button>
        </section>
      ) : null}
    </div>
  );
}
