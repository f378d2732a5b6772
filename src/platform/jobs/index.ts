export {
  ASIN_LIST_PAYLOAD,
  checkPayload,
  distinctAsins,
  FILE_LOAD_FIELDS,
  withPayload,
} from './payload.ts';
export { type AfterRun, installJobSchema, type JobData, JobQueue, type JobStatus } from './queue.ts';
export { runJob } from './runner.ts';
export { listRuns } from './runs.repo.ts';
export type * from './types.ts';
