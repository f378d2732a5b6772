import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { IngestRequest } from '../lib/reports-job.ts';
import { loadsQuery, type ReportsSearch } from '../lib/reports-search.ts';
import { API_BASE, ApiError, api, apiClient, toApiError, unwrap } from './client.ts';
import type { GetResult, PostResult, Schemas } from './types.ts';

/** POST /api/v1/reports/detect: the report type read from the header, before anything is ingested. */
export type Detection = PostResult<'/api/v1/reports/detect'>;
export type ReportLoad = Schemas['ReportLoad'];
export type LoadsPage = GetResult<'/api/v1/reports/loads'>;

export interface IngestQueued {
  job_id: string;
  object_key?: string;
  uri?: string;
  dry_run: boolean;
}

export const loadsPageQuery = (search: ReportsSearch) => {
  const query = loadsQuery(search);
  return queryOptions({
    queryKey: ['report-loads', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/reports/loads', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
};

/** Reads a remote report's header (s3:// or https://), or an earlier upload's with a chosen type. */
export function detectRemote(body: { uri?: string; object_key?: string; type?: string }): Promise<Detection> {
  return api.post<Detection>('/reports/detect', body);
}

/** Queues the ingest of a detected upload or URI (a job: follow it at GET /jobs/{id}). */
export function queueIngest(body: IngestRequest): Promise<IngestQueued> {
  return api.post<IngestQueued>('/ingest', body);
}

/**
 * Uploads the file for detection with XMLHttpRequest, because fetch cannot report upload progress;
 * the server keeps the upload, so the ingest that follows does not send it again.
 */
export function detectUpload(
  file: File,
  fields: { type?: string },
  csrfToken: string | null | undefined,
  onProgress: (loaded: number, total: number) => void,
): { promise: Promise<Detection>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Detection>((resolve, reject) => {
    xhr.open('POST', `${API_BASE}/reports/detect`);
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body as Detection);
      else {
        const headers = new Headers();
        const id = xhr.getResponseHeader('x-request-id');
        if (id) headers.set('x-request-id', id);
        const status = xhr.status >= 200 ? xhr.status : 502;
        reject(toApiError(new Response(null, { status, statusText: xhr.statusText, headers }), body));
      }
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, 'network', 'The upload was interrupted: the API could not be reached. Try again.'),
      );
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
    const form = new FormData();
    if (fields.type) form.append('type', fields.type);
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/** GET /api/v1/sync: the reports AWA pulls from SP-API itself, per type and marketplace. */
export type SyncStatus = GetResult<'/api/v1/sync'>;
export type SyncItem = SyncStatus['items'][number];

export const syncStatusQuery = () =>
  queryOptions({
    queryKey: ['sync-status'],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/sync', { signal })),
    // a sync run takes minutes; a minute's polling shows a run finishing without hammering the API
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
