import { type Problem, problemsOf } from './upload-machine.ts';

/** GET /jobs/{id}, the parts read here. */
export interface JobLike {
  id: string;
  status: string;
  stage?: string;
  progress?: Record<string, unknown> | null;
  result?: unknown;
  error?: string | null;
  data?: unknown;
}

/**
 * What a report-ingest job (GET /jobs/{id}) means for the page: waiting, running (stage, rows read),
 * done (the ingest summary), rejected (its problems: line, column, value, reason) or failed. Pure.
 */

/** SPEC §4's stages of an ingest, in order. */
export const INGEST_STAGES = ['queued', 'downloading', 'detecting', 'parsing', 'writing', 'done'] as const;

/** Statuses after which a job changes no more. */
const FINISHED = new Set(['success', 'skipped', 'tripped', 'failed', 'cancelled']);

export function jobFinished(status: string | undefined): boolean {
  return status !== undefined && FINISHED.has(status);
}

/** The ingest's summary (src/domains/reports/ingest.service.ts IngestSummary), as the page reads it. */
export interface IngestSummary {
  status?: 'success' | 'partial' | 'skipped' | 'rejected' | string;
  type?: string | null;
  file?: string;
  marketplace?: string;
  rows?: number;
  inserted?: number;
  updated?: number;
  replaced?: number;
  closed?: number;
  kept?: number;
  duplicates?: number;
  rejected?: number;
  dry_run?: boolean;
  load_id?: number | null;
  duration_ms?: number;
  notes?: unknown[];
  date_order?: { order: string; decided_by: string } | null;
  rejections?: unknown[];
  rejections_truncated?: boolean;
}

/** What the job was queued with (POST /ingest), enough to queue it again for real. */
export interface IngestRequest {
  object_key?: string;
  uri?: string;
  file_name?: string;
  type?: string;
  dry_run?: boolean;
  skip_invalid?: boolean;
  force?: boolean;
}

export type IngestOutcome =
  | { kind: 'waiting' }
  | { kind: 'running'; stage: string; rowsRead: number }
  | { kind: 'done'; summary: IngestSummary }
  | { kind: 'rejected'; summary: IngestSummary; problems: Problem[]; truncated: boolean; message: string }
  | { kind: 'failed'; message: string };

const asSummary = (v: unknown): IngestSummary | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as IngestSummary) : undefined;

export function ingestOutcome(job: JobLike): IngestOutcome {
  const summary = asSummary(job.result);
  switch (job.status) {
    case 'queued':
    case 'retrying':
    case 'created':
      return { kind: 'waiting' };
    case 'running':
      return {
        kind: 'running',
        stage: job.stage ?? 'running',
        rowsRead: Math.max(0, Number(job.progress?.rows_read ?? 0) || 0),
      };
    case 'success':
    case 'skipped':
      return { kind: 'done', summary: summary ?? { status: job.status } };
    default:
      // a file with invalid rows fails its job, the ingest summary as its result
      if (summary && (summary.status === 'rejected' || Array.isArray(summary.rejections))) {
        return {
          kind: 'rejected',
          summary,
          problems: problemsOf(summary.rejections),
          truncated: summary.rejections_truncated === true,
          message: job.error ?? 'The file has invalid rows; nothing was ingested.',
        };
      }
      return {
        kind: 'failed',
        message: job.error || `The ingest job ended as "${job.status}" without saying why.`,
      };
  }
}

/** The request a finished job was queued with, from its data (so "ingest for real" works after a reload). */
export function requestOf(job: JobLike): IngestRequest | null {
  const d = (job.data ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const object_key = str(d.object_key);
  const uri = str(d.uri);
  if (!object_key && !uri) return null;
  return {
    object_key,
    uri,
    file_name: str(d.file_name),
    type: str(d.type),
    dry_run: d.dry_run === true,
    skip_invalid: d.skip_invalid === true,
    force: d.force === true,
  };
}

/** The same source, for real: what "Ingest for real" sends after a dry run. */
export function realRequest(r: IngestRequest): IngestRequest {
  const { object_key, uri, file_name, type, skip_invalid, force } = r;
  return { ...(object_key ? { object_key, file_name } : { uri }), type, skip_invalid, force, dry_run: false };
}
