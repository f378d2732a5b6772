import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiClient, unwrap } from './client.ts';
import type { GetQuery, GetResult, PostBody, PostResult } from './types.ts';

/** The decision inbox (SPEC §10): tasks the rules raise, their counts, moves and actions. */
export type TaskList = GetResult<'/api/v1/tasks'>;
export type Task = TaskList['items'][number];
export type TaskDetail = GetResult<'/api/v1/tasks/{id}'>;
export type TaskEvent = TaskDetail['events'][number];
export type TaskAction = NonNullable<Task['action']>['default'];
export type TaskCounts = GetResult<'/api/v1/tasks/counts'>;
export type TasksQuery = GetQuery<'/api/v1/tasks'>;
export type TransitionBody = PostBody<'/api/v1/tasks/{id}/transition'>;
export type ActResult = PostResult<'/api/v1/tasks/{id}/act'>;
export type TaskType = Task['type'];
export type Severity = Task['severity'];
export type TaskState = Task['state'];

/** Every inbox query starts with this key: invalidating it refreshes the lists, the detail and the badge. */
export const TASKS_KEY = ['tasks'] as const;

export const tasksQuery = (query: TasksQuery) =>
  queryOptions({
    queryKey: [...TASKS_KEY, 'list', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/tasks', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });

export const taskQuery = (id: number) =>
  queryOptions({
    queryKey: [...TASKS_KEY, 'one', id],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/tasks/{id}', { params: { path: { id } }, signal })),
    staleTime: 15_000,
  });

/** The nav badge: open tasks, refreshed every minute and whenever a task moves. */
export const taskCountsQuery = queryOptions({
  queryKey: [...TASKS_KEY, 'counts'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/tasks/counts', { signal })),
  staleTime: 30_000,
  refetchInterval: 60_000,
});

export function transitionTask(id: number, body: TransitionBody) {
  return unwrap(apiClient.POST('/api/v1/tasks/{id}/transition', { params: { path: { id } }, body }));
}

/** Runs the task's default action (or alternative `action`), as a dry run or for real. */
export function actOnTask(id: number, action: 'default' | number, dryRun: boolean): Promise<ActResult> {
  return unwrap(
    apiClient.POST('/api/v1/tasks/{id}/act', {
      params: { path: { id } },
      body: { action, dry_run: dryRun },
    }),
  );
}

export type Threshold = GetResult<'/api/v1/tasks/thresholds'>[number];

/** The rules' thresholds (everyone reads them; admins change them). */
export const thresholdsQuery = queryOptions({
  queryKey: [...TASKS_KEY, 'thresholds'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/tasks/thresholds', { signal })),
});

/** All or none; null puts a threshold's default back. */
export function saveThresholds(values: Record<string, number | null>, dryRun = false) {
  return unwrap(apiClient.PUT('/api/v1/tasks/thresholds', { body: { values, dry_run: dryRun } }));
}

export type BulkResult = PostResult<'/api/v1/tasks/transition'>;

/** Moves many tasks at once; each is answered on its own (a 409 is an item's error, not the request's). */
export function transitionTasks(body: PostBody<'/api/v1/tasks/transition'>): Promise<BulkResult> {
  return unwrap(apiClient.POST('/api/v1/tasks/transition', { body }));
}

export function assignTask(id: number, assignee: string | null): Promise<Task> {
  return unwrap(
    apiClient.POST('/api/v1/tasks/{id}/assign', { params: { path: { id } }, body: { assignee } }),
  );
}
