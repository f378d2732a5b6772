import { type FetchQueryOptions, hashKey, type QueryKey, useQueryClient } from '@tanstack/react-query';
import type { RowData } from '@tanstack/react-table';
import { type ReactNode, useEffect } from 'react';
import type { PagePatch } from '../lib/search-params.ts';
import { DataTable, type DataTableProps } from './data-table.tsx';
import { Pager } from './pager.tsx';
import { ErrorState, InlineError, Loading } from './states.tsx';

/** What a paged table needs of its query (a react-query result fits). */
export interface PagedQuery {
  isPending: boolean;
  error: unknown;
  data: unknown;
  isPlaceholderData: boolean;
  refetch: () => unknown;
}

export interface PagedTableProps<T extends RowData> extends Omit<DataTableProps<T>, 'stale'> {
  query: PagedQuery;
  /** Shown while the first page loads ("Loading offers…"). */
  loadingLabel: string;
  /** Heads the error when nothing could be loaded ("The offers could not be loaded"). */
  errorTitle: string;
  page: number;
  pageSize: number;
  total: number;
  onPaging: (patch: PagePatch) => void;
  /** Under the pager (e.g. a note that the count was capped). */
  children?: ReactNode;
}

/**
 * A server-paged table with its states: loading until the first page, a full error with retry when
 * nothing loaded, and when a refresh fails over rows already shown, those rows (dimmed while the
 * next page is on its way) under a one-line error.
 */
export function PagedTable<T extends RowData>(props: PagedTableProps<T>) {
  const { query, loadingLabel, errorTitle, page, pageSize, total, onPaging, children, ...table } = props;
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.error && !query.data)
    return <ErrorState error={query.error} title={errorTitle} onRetry={() => void query.refetch()} />;
  return (
    <>
      {query.error ? <InlineError error={query.error} /> : null}
      <DataTable {...table} stale={query.isPlaceholderData} />
      <Pager
        page={page}
        pageSize={pageSize}
        total={total}
        onPage={(p) => onPaging({ page: p })}
        onPageSize={(n) => onPaging({ page_size: n })}
      />
      {children}
    </>
  );
}

/**
 * Fetches the page after this one ahead, so "Next" paints at once. `total` is undefined until the
 * current page has loaded; `next` is the query of the following page.
 */
export function usePrefetchNextPage<D, K extends QueryKey>(
  total: number | undefined,
  page: number,
  pageSize: number,
  next: FetchQueryOptions<D, Error, D, K>,
) {
  const queryClient = useQueryClient();
  const key = hashKey(next.queryKey ?? []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `next` (a new object each render)
  useEffect(() => {
    if (total === undefined || page * pageSize >= total) return;
    void queryClient.prefetchQuery(next);
  }, [key, total, page, pageSize, queryClient]);
}
