import { queryOptions } from '@tanstack/react-query';
import { apiClient, unwrap } from './client.ts';
import type { GetResult } from './types.ts';

/** The effective configuration (admin) and the reduced VAT rates kept in the database. */

export type Settings = GetResult<'/api/v1/settings'>;
export type Setting = Settings['groups'][number]['items'][number];
export type Vat = GetResult<'/api/v1/vat'>;
export type ReducedVatRate = Vat['reduced'][number];

export const settingsQuery = queryOptions({
  queryKey: ['settings'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/settings', { signal })),
});

export const vatQuery = queryOptions({
  queryKey: ['vat'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/vat', { signal })),
});

export const vatApi = {
  save: (rate: { scope: string; key: string; rate: string; note?: string | null }, dryRun: boolean) =>
    unwrap(apiClient.PUT('/api/v1/vat/rates', { body: { rates: [rate], dry_run: dryRun } })),
  remove: (scope: string, key: string) =>
    unwrap(
      apiClient.DELETE('/api/v1/vat/rates/{scope}/{key}', {
        params: { path: { scope, key }, query: { dry_run: false } },
      }),
    ),
};
