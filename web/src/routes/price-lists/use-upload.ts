import { useCallback, useEffect, useReducer, useRef } from 'react';
import { ApiError, api } from '../../api/client.ts';
import {
  initialUploadState,
  isWatching,
  type JobSnapshot,
  jobIdOf,
  type UploadError,
  type UploadOptions,
  uploadReducer,
} from '../../lib/upload-machine.ts';
import { sendPriceList } from './xhr.ts';

export function toUploadError(e: unknown): UploadError {
  if (e instanceof ApiError)
    return { code: e.code, message: e.message, requestId: e.request_id, details: e.details };
  return { code: 'error', message: e instanceof Error ? e.message : String(e) };
}

/** The machine's error as the ApiError the shared error components show (code, message, request id). */
export function asApiError(e: UploadError): ApiError {
  return new ApiError(0, e.code, e.message, e.details, e.requestId);
}

// a job usually finishes within seconds: look often at first, then calmly
const pollDelay = (n: number) => (n < 20 ? 700 : 2000);
// a blip in the connection is not a failure of the import: give up after this many misses in a row
const MAX_POLL_MISSES = 3;

interface UseUpload {
  /** The job id in the URL. */
  jobFromUrl: string | undefined;
  /** Puts the watched job id in the URL (undefined: removes it). */
  onJobChange: (jobId: string | undefined) => void;
  csrfToken: string | null | undefined;
  /** After a real import finished: refresh what it changed. */
  onImported: () => void;
}

/** The upload flow: the state machine plus the XHR, the job polling and the URL. */
export function useUpload({ jobFromUrl, onJobChange, csrfToken, onImported }: UseUpload) {
  const [state, dispatch] = useReducer(uploadReducer, initialUploadState);
  const file = useRef<File | null>(null);
  const abort = useRef<(() => void) | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  // a reload (or the back button) with ?job= resumes watching that job
  useEffect(() => {
    if (jobFromUrl && jobFromUrl !== jobIdOf(stateRef.current))
      dispatch({ type: 'watch', jobId: jobFromUrl });
  }, [jobFromUrl]);

  const jobId = jobIdOf(state);
  const onJobChangeRef = useRef(onJobChange);
  onJobChangeRef.current = onJobChange;
  // the URL follows the watched job on changes only: on the first render the URL leads (above)
  const shownJob = useRef(jobId);
  useEffect(() => {
    if (shownJob.current === jobId) return;
    shownJob.current = jobId;
    onJobChangeRef.current(jobId);
  }, [jobId]);

  const watchId = isWatching(state) ? state.jobId : null;
  useEffect(() => {
    if (!watchId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polls = 0;
    let misses = 0;
    const ctrl = new AbortController();
    const tick = async () => {
      try {
        const job = await api.get<JobSnapshot>(
          `/jobs/${encodeURIComponent(watchId)}`,
          undefined,
          ctrl.signal,
        );
        if (stopped) return;
        misses = 0;
        dispatch({ type: 'job', job });
      } catch (e) {
        if (stopped) return;
        misses += 1;
        const gone = e instanceof ApiError && e.status >= 400 && e.status < 500;
        if (gone || misses >= MAX_POLL_MISSES) {
          dispatch({ type: 'poll_failed', error: toUploadError(e) });
          return;
        }
      }
      polls += 1;
      timer = setTimeout(tick, pollDelay(polls));
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [watchId]);

  const realDone =
    state.kind === 'done' && state.summary.dry_run === false && state.summary.status !== 'skipped';
  const onImportedRef = useRef(onImported);
  onImportedRef.current = onImported;
  useEffect(() => {
    if (realDone) onImportedRef.current();
  }, [realDone]);

  const start = useCallback(
    (f: File, options: UploadOptions) => {
      const s = stateRef.current;
      if (s.kind !== 'idle' && (s.kind === 'uploading' || isWatching(s))) return;
      file.current = f;
      dispatch({ type: 'start', request: { fileName: f.name, size: f.size, options } });
      const send = sendPriceList(f, options, csrfToken, (loaded, total) =>
        dispatch({ type: 'progress', loaded, total }),
      );
      abort.current = send.abort;
      send.promise
        .then((accepted) => dispatch({ type: 'accepted', jobId: accepted.job_id }))
        .catch((e: unknown) => dispatch({ type: 'upload_failed', error: toUploadError(e) }))
        .finally(() => {
          abort.current = null;
        });
    },
    [csrfToken],
  );

  /** The file of the last upload, if this page still has it (not after a reload). */
  const lastFile = useCallback((): File | null => {
    const s = stateRef.current;
    const req = 'request' in s ? s.request : undefined;
    return req && file.current?.name === req.fileName ? file.current : null;
  }, []);

  /** Sends the last file again with changed options ("Import for real", "Import the valid rows", retry). */
  const again = useCallback(
    (patch: Partial<UploadOptions> = {}) => {
      const s = stateRef.current;
      const f = lastFile();
      if (!f || !('request' in s) || !s.request) return false;
      start(f, { ...s.request.options, ...patch });
      return true;
    },
    [start, lastFile],
  );

  const retry = useCallback(() => {
    const s = stateRef.current;
    if (s.kind === 'failed' && s.phase === 'poll') dispatch({ type: 'retry' });
    else again();
  }, [again]);

  const reset = useCallback(() => {
    abort.current?.();
    dispatch({ type: 'reset' });
  }, []);

  return { state, start, again, retry, reset, hasFile: lastFile() !== null };
}
