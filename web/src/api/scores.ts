import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { type ScoresSearch, scoresApiQuery } from '../lib/scores-search.ts';
import { apiClient, unwrap } from './client.ts';
import type { GetResult } from './types.ts';

export type ScoresPage = GetResult<'/api/v1/scores'>;
export type ScoreRow = ScoresPage['items'][number];

export const scoresPageQuery = (search: ScoresSearch) => {
  const query = scoresApiQuery(search);
  return queryOptions({
    queryKey: ['scores', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/scores', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
};
