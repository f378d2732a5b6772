import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { formatWait } from '../lib/format.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 p-6 text-sm text-slate-600">
      <span
        className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-slate-700"
        aria-hidden
      />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-slate-300 p-8 text-center">
      <p className="font-medium text-slate-800">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-600">{children}</div> : null}
    </div>
  );
}

/** An error a person can act on: the server's code, message and request id; never "something went wrong". */
export function ErrorState({
  error,
  title = 'The request failed',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const api = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-medium">{title}</p>
      <p className="mt-1">
        {api ? <code className="mr-2 rounded bg-red-100 px-1 font-mono text-xs">{api.code}</code> : null}
        {message}
      </p>
      {api?.retry_after !== undefined ? (
        <p className="mt-1">Try again in {formatWait(api.retry_after)}.</p>
      ) : null}
      {api?.request_id ? (
        <p className="mt-1 text-xs text-red-800">
          Request id: <span className="font-mono select-all">{api.request_id}</span>
        </p>
      ) : null}
      {onRetry ? (
        <button type="button" className="btn btn-secondary mt-3" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A compact one-line error for inside dialogs and forms. */
export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
      {api ? <code className="mr-2 font-mono text-xs">{api.code}</code> : null}
      {message}
      {api?.retry_after !== undefined ? ` Try again in ${formatWait(api.retry_after)}.` : null}
      {api?.request_id ? (
        <span className="ml-2 font-mono text-xs text-red-700">({api.request_id})</span>
      ) : null}
    </p>
  );
}
