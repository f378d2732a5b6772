import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { RuleBody } from '../lib/repricer-rules.ts';
import { logApiQuery, type RepricerSearch } from '../lib/repricer-search.ts';
import { ApiError, apiClient, toApiError, unwrap } from './client.ts';
import type { GetResult, PostBody, PostResult, Schemas } from './types.ts';

export type StoredRule = Schemas['RepricerRule'];
export type LoggedDecision = Schemas['RepricerDecision'];
export type SimulatedDecision = Schemas['SimulatedDecision'];
export type RepricerRun = Schemas['RepricerRun'];
export type RepricerSettings = GetResult<'/api/v1/repricer/settings'>;
export type LogPage = GetResult<'/api/v1/repricer/log'>;
export type ApplyBody = PostBody<'/api/v1/pricing/apply'>;
export type ApplyResult = PostResult<'/api/v1/pricing/apply'>;
export type ApplyMode = NonNullable<ApplyBody['mode']>;
export type RulesSaved = {
  dry_run: boolean;
  rules: number;
  inserted: number;
  updated: number;
  unchanged: number;
};
export type RulesImported = RulesSaved & { file: string; rows: number };

const pageOf = (s: RepricerSearch) => ({ page: s.page ?? 1, page_size: s.page_size ?? 50 });

export const repricerSettingsQuery = queryOptions({
  queryKey: ['repricer', 'settings'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/repricer/settings', { signal })),
  staleTime: 5 * 60_000,
});

export const rulesQuery = (s: RepricerSearch) => {
  const query = { sku: s.sku, ...pageOf(s) };
  return queryOptions({
    queryKey: ['repricer', 'rules', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/repricer/rules', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
};

export const simulationQuery = (s: RepricerSearch) => {
  const query = { sku: s.sku, ...pageOf(s) };
  return queryOptions({
    queryKey: ['repricer', 'simulation', query],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/repricer/simulation', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
};

export const logQuery = (s: RepricerSearch) => {
  const query = logApiQuery(s);
  return queryOptions({
    queryKey: ['repricer', 'log', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/repricer/log', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
};

export const runsQuery = queryOptions({
  queryKey: ['repricer', 'runs'],
  queryFn: ({ signal }) =>
    unwrap(apiClient.GET('/api/v1/repricer/runs', { params: { query: { limit: 100 } }, signal })),
  staleTime: 15_000,
});

export function saveRules(rules: RuleBody[], dryRun = false): Promise<RulesSaved> {
  return unwrap(apiClient.PUT('/api/v1/repricer/rules', { body: { rules, dry_run: dryRun } }));
}

export function applyPrices(body: ApplyBody): Promise<ApplyResult> {
  return unwrap(apiClient.POST('/api/v1/pricing/apply', { body }));
}

/** A rules file → POST /repricer/rules/import (multipart, so the server reads CSV and XLSX alike). */
export async function importRules(file: File, dryRun: boolean, csrf: string | null): Promise<RulesImported> {
  const form = new FormData();
  form.set('dry_run', String(dryRun));
  form.set('file', file, file.name);
  let res: Response;
  try {
    res = await fetch('/api/v1/repricer/rules/import', {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: csrf ? { 'x-csrf-token': csrf } : {},
    });
  } catch {
    throw new ApiError(0, 'network', 'The API could not be reached. Check the connection and try again.');
  }
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res, body);
  return body as RulesImported;
}

export function rulesCsvHref(s: RepricerSearch): string {
  return `/api/v1/repricer/rules.csv${s.sku ? `?sku=${encodeURIComponent(s.sku)}` : ''}`;
}
