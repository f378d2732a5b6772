export {
  type LoadContext,
  type LoadRecord,
  runLoad,
  type StagedLoad,
  withoutRejections,
} from './pipeline.ts';
export {
  type LoadStatus,
  type LoadSummary,
  type RowCounts,
  type RowOutcome,
  resetRowCounts,
  tallyRow,
} from './summary.ts';
