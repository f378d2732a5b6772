import type { Rejection } from './types.ts';

/** Problems kept for a load's report; a million-row garbage file must not hold a million objects. */
export const REPORT_LIMIT = 10_000;

export interface RejectionReport {
  rejected: number;
  /** Every problem found, up to REPORT_LIMIT; `rejections_truncated` says when more exist. */
  rejections: Rejection[];
  rejections_truncated: boolean;
}

/** Counts one rejected row and keeps its problems while there is room. */
export function noteRejected(report: RejectionReport, problems: readonly Rejection[]): void {
  report.rejected += 1;
  for (const p of problems) {
    if (report.rejections.length < REPORT_LIMIT) report.rejections.push(p);
    else report.rejections_truncated = true;
  }
}
