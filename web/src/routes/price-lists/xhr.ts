import { API_BASE, ApiError } from '../../api/client.ts';
import type { UploadOptions } from '../../lib/upload-machine.ts';

export interface Accepted {
  job_id: string;
  object_key?: string;
  vendor?: string;
  dry_run?: boolean;
  size?: number;
}

/** The multipart form of POST /api/v1/price-lists; text fields first, so the server has them by the time the file ends. */
export function uploadForm(file: File, o: UploadOptions): FormData {
  const form = new FormData();
  form.append('vendor', o.vendor);
  if (o.currency) form.append('currency', o.currency);
  if (o.sheet) form.append('sheet', o.sheet);
  form.append('skip_invalid', String(o.skipInvalid));
  form.append('dry_run', String(o.dryRun));
  form.append('force', String(o.force));
  form.append('file', file, file.name);
  return form;
}

function errorOf(xhr: XMLHttpRequest): ApiError {
  let body:
    | { error?: { code?: string; message?: string; details?: unknown; request_id?: string } }
    | undefined;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    body = undefined;
  }
  const e = body?.error;
  const requestId = e?.request_id ?? xhr.getResponseHeader('x-request-id') ?? undefined;
  if (e?.message)
    return new ApiError(xhr.status, e.code ?? `http_${xhr.status}`, e.message, e.details, requestId);
  if (xhr.status === 413) {
    return new ApiError(
      413,
      'too_large',
      'The file is larger than the server accepts.',
      undefined,
      requestId,
    );
  }
  return new ApiError(
    xhr.status,
    `http_${xhr.status}`,
    `The server answered ${xhr.status} ${xhr.statusText}`.trim(),
    undefined,
    requestId,
  );
}

/**
 * Sends the file with XMLHttpRequest, because fetch cannot report upload progress. Carries the
 * CSRF token the way the API client does for every write. `abort` cancels it.
 */
export function sendPriceList(
  file: File,
  options: UploadOptions,
  csrfToken: string | null | undefined,
  onProgress: (loaded: number, total: number) => void,
): { promise: Promise<Accepted>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Accepted>((resolve, reject) => {
    xhr.open('POST', `${API_BASE}/price-lists`);
    xhr.withCredentials = false; // same origin: the session cookie goes anyway
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as Accepted);
        } catch {
          reject(
            new ApiError(
              xhr.status,
              'bad_response',
              'The server accepted the file but its answer was not JSON.',
            ),
          );
        }
      } else reject(errorOf(xhr));
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, 'network', 'The upload was interrupted: the API could not be reached. Try again.'),
      );
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
    xhr.send(uploadForm(file, options));
  });
  return { promise, abort: () => xhr.abort() };
}
