/**
 * The price-list upload as a state machine (UI.md: long work is a job you can watch):
 *
 *   idle → uploading(bytes) → queued → importing(rows) → done(summary) | rejected(problems) | failed(error)
 *
 * `watch` enters at `queued` with a job id from the URL, so a reload resumes watching. Terminal
 * states ignore late events (a poll answer that arrives after the result must not undo it); `reset`
 * always returns to idle, `retry` resumes watching after a failed poll. Pure: the page owns the XHR,
 * the timer and the file; this only decides what the user sees.
 */

export interface UploadOptions {
  vendor: string;
  currency?: string;
  sheet?: string;
  skipInvalid: boolean;
  dryRun: boolean;
  force: boolean;
}

/** One problem of a rejected file, as the importer reports it (line 0/absent: the whole file). */
export interface Problem {
  line: number | null;
  column: string;
  value: string;
  reason: string;
}

/** The importer's summary (src/domains/vendors/import.service.ts ImportSummary), as far as the page reads it. */
export interface ImportSummary {
  status?: 'success' | 'partial' | 'skipped' | 'rejected' | string;
  vendor?: string;
  vendor_id?: number | null;
  file?: string;
  rows?: number;
  inserted?: number;
  updated?: number;
  unchanged?: number;
  duplicates?: number;
  rejected?: number;
  history?: number;
  dry_run?: boolean;
  price_list_id?: number | null;
  duration_ms?: number;
  columns?: Record<string, string>;
  rejections?: unknown[];
  rejections_truncated?: boolean;
}

/** GET /api/v1/jobs/{id}, the parts the machine reads. */
export interface JobSnapshot {
  id: string;
  status: string;
  stage?: string;
  progress?: { rows_read?: number; [k: string]: unknown } | null;
  result?: unknown;
  error?: string | null;
  data?: { dry_run?: boolean; vendor?: string; file_name?: string; [k: string]: unknown } | null;
}

export interface UploadError {
  code: string;
  message: string;
  requestId?: string;
  details?: unknown;
}

/** What was sent: kept through the flow so the page can offer "Import for real" and "Retry". */
export interface UploadRequest {
  fileName: string;
  size: number;
  options: UploadOptions;
}

export type UploadState =
  | { kind: 'idle' }
  | { kind: 'uploading'; request: UploadRequest; loaded: number; total: number }
  | { kind: 'queued'; jobId: string; request?: UploadRequest }
  | { kind: 'importing'; jobId: string; request?: UploadRequest; rowsRead: number; stage: string }
  | { kind: 'done'; jobId: string; request?: UploadRequest; summary: ImportSummary }
  | {
      kind: 'rejected';
      jobId: string;
      request?: UploadRequest;
      summary: ImportSummary;
      problems: Problem[];
      truncated: boolean;
      message: string;
    }
  | {
      kind: 'failed';
      /** upload: the file never became a job; job: the import failed; poll: we lost track of it. */
      phase: 'upload' | 'job' | 'poll';
      jobId?: string;
      request?: UploadRequest;
      error: UploadError;
    };

export type UploadEvent =
  | { type: 'start'; request: UploadRequest }
  | { type: 'progress'; loaded: number; total?: number }
  | { type: 'accepted'; jobId: string }
  | { type: 'upload_failed'; error: UploadError }
  | { type: 'watch'; jobId: string }
  | { type: 'job'; job: JobSnapshot }
  | { type: 'poll_failed'; error: UploadError }
  | { type: 'retry' }
  | { type: 'reset' };

export const initialUploadState: UploadState = { kind: 'idle' };

const TERMINAL = new Set<UploadState['kind']>(['done', 'rejected', 'failed']);

export function isTerminal(s: UploadState): boolean {
  return TERMINAL.has(s.kind);
}

/** Whether the page should be polling GET /jobs/{id}. */
export function isWatching(s: UploadState): s is Extract<UploadState, { kind: 'queued' | 'importing' }> {
  return s.kind === 'queued' || s.kind === 'importing';
}

/** The job id to keep in the URL (`?job=`), if there is one. */
export function jobIdOf(s: UploadState): string | undefined {
  return 'jobId' in s ? s.jobId : undefined;
}

/** Upload progress in percent (0–100), null when the size is unknown. */
export function uploadPercent(s: UploadState): number | null {
  if (s.kind !== 'uploading' || !(s.total > 0)) return null;
  return Math.min(100, Math.round((100 * s.loaded) / s.total));
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** The importer's rejections as table rows; tolerant of missing fields so a new shape still shows. */
export function problemsOf(rejections: unknown): Problem[] {
  if (!Array.isArray(rejections)) return [];
  return rejections.map((r) => {
    const o = (r ?? {}) as Record<string, unknown>;
    const line = typeof o.line === 'number' && o.line > 0 ? o.line : null;
    return { line, column: text(o.column), value: text(o.value), reason: text(o.reason) || text(r) };
  });
}

function asSummary(v: unknown): ImportSummary | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as ImportSummary) : undefined;
}

/** What one job snapshot means for the flow (the state after it, given the current one). */
export function fromJob(job: JobSnapshot, current: { jobId: string; request?: UploadRequest }): UploadState {
  const { jobId, request } = current;
  const summary = asSummary(job.result);
  switch (job.status) {
    case 'queued':
    case 'retrying':
    case 'created':
      return { kind: 'queued', jobId, request };
    case 'running':
      return {
        kind: 'importing',
        jobId,
        request,
        rowsRead: Math.max(0, Number(job.progress?.rows_read ?? 0) || 0),
        stage: job.stage ?? 'running',
      };
    case 'success':
    case 'skipped':
      return { kind: 'done', jobId, request, summary: summary ?? { status: job.status } };
    default: {
      // a file with invalid rows fails its job with the importer's summary as the result
      if (summary?.status === 'rejected' || (summary && Array.isArray(summary.rejections))) {
        return {
          kind: 'rejected',
          jobId,
          request,
          summary,
          problems: problemsOf(summary.rejections),
          truncated: summary.rejections_truncated === true,
          message: job.error ?? 'The file has invalid rows; nothing was imported.',
        };
      }
      return {
        kind: 'failed',
        phase: 'job',
        jobId,
        request,
        error: {
          code: job.status === 'cancelled' ? 'job_cancelled' : 'job_failed',
          message: job.error || `The import job ended as "${job.status}" without saying why.`,
        },
      };
    }
  }
}

export function uploadReducer(s: UploadState, e: UploadEvent): UploadState {
  switch (e.type) {
    case 'reset':
      return initialUploadState;
    case 'start':
      // a new upload may start from idle or after any outcome, never over one in flight
      if (s.kind !== 'idle' && !isTerminal(s)) return s;
      return { kind: 'uploading', request: e.request, loaded: 0, total: e.request.size };
    case 'progress':
      if (s.kind !== 'uploading') return s;
      return {
        ...s,
        loaded: Math.max(s.loaded, e.loaded),
        total: e.total && e.total > 0 ? e.total : s.total,
      };
    case 'accepted':
      if (s.kind !== 'uploading') return s;
      return { kind: 'queued', jobId: e.jobId, request: s.request };
    case 'upload_failed':
      if (s.kind !== 'uploading') return s;
      return { kind: 'failed', phase: 'upload', request: s.request, error: e.error };
    case 'watch':
      if (s.kind !== 'idle' && !isTerminal(s)) return s;
      if (jobIdOf(s) === e.jobId) return s;
      return { kind: 'queued', jobId: e.jobId };
    case 'job':
      if (!isWatching(s) || e.job.id !== s.jobId) return s;
      return fromJob(e.job, s);
    case 'poll_failed':
      if (!isWatching(s)) return s;
      return { kind: 'failed', phase: 'poll', jobId: s.jobId, request: s.request, error: e.error };
    case 'retry':
      // only lost track of a job can be resumed here; a failed upload or import is sent again by the page
      if (s.kind === 'failed' && s.phase === 'poll' && s.jobId) {
        return { kind: 'queued', jobId: s.jobId, request: s.request };
      }
      return s;
  }
}

/** After a successful dry run: the same upload, for real. */
export function realImportOptions(s: UploadState): UploadOptions | null {
  if (s.kind !== 'done' || !s.request || !s.request.options.dryRun) return null;
  if (s.summary.status === 'skipped') return null;
  return { ...s.request.options, dryRun: false };
}
