/**
 * SP-API Reports 2021-06-30 (reports_2021-06-30.json): createReport (POST /reports/2021-06-30/reports
 * {reportType, marketplaceIds, dataStartTime?, dataEndTime?} → 202 {reportId}), getReport (GET
 * …/reports/{reportId} → {processingStatus, reportDocumentId?, …}), getReports (GET …/reports?
 * reportTypes&processingStatuses&marketplaceIds&createdSince&pageSize → {reports, nextToken?}) and
 * getReportDocument (GET …/documents/{id} → {url, compressionAlgorithm?}). Answers are not wrapped
 * in `payload`.
 *
 * Every operation has its own client and token bucket (shared by every worker through Redis), at
 * Amazon's published usage plans: createReport 0.0167/s burst 15, getReport 2/s burst 15,
 * getReports 0.0222/s burst 10, getReportDocument 0.0167/s burst 15. createReport and
 * getReportDocument refill one call a minute: 60 an hour at most over all workers, +15 burst.
 */
import type { SpApi, SpApiClient, SpApiPlan } from '../../platform/amazon/spapi.ts';

export const REPORTS_PATH = '/reports/2021-06-30';

export const REPORT_PLANS = {
  createReport: { ratePerSecond: 0.0167, burst: 15 },
  getReport: { ratePerSecond: 2, burst: 15 },
  getReports: { ratePerSecond: 0.0222, burst: 10 },
  getReportDocument: { ratePerSecond: 0.0167, burst: 15 },
} satisfies Record<string, SpApiPlan>;

export type ReportOperation = keyof typeof REPORT_PLANS;
export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';
const STATUSES: readonly ProcessingStatus[] = ['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'CANCELLED', 'FATAL'];

export interface ReportInfo {
  reportId: string;
  reportType: string;
  processingStatus: ProcessingStatus;
  reportDocumentId?: string;
  dataStartTime?: string;
  dataEndTime?: string;
  createdTime?: string;
  marketplaceIds?: string[];
}

export interface ReportDocument {
  reportDocumentId: string;
  url: string;
  compressionAlgorithm?: string;
}

export interface CreateReportInput {
  reportType: string;
  marketplaceIds: string[];
  dataStartTime?: Date;
  dataEndTime?: Date;
}

export interface ReportsClient {
  createReport(input: CreateReportInput): Promise<string>;
  getReport(reportId: string): Promise<ReportInfo>;
  /** Every page of getReports. */
  getReports(q: {
    reportTypes: string[];
    processingStatuses?: ProcessingStatus[];
    marketplaceIds?: string[];
    createdSince?: Date;
  }): Promise<ReportInfo[]>;
  getReportDocument(reportDocumentId: string): Promise<ReportDocument>;
  /** Calls sent per operation (a fresh-token retry included). */
  calls(): Record<ReportOperation, number>;
}

/** Multiplies every usage plan's rate (tests and benches in real time with Redis); 1 in production. */
export function scaledPlan(plan: SpApiPlan, scale = 1): SpApiPlan {
  return { ...plan, ratePerSecond: plan.ratePerSecond * scale };
}

function bad(what: string): Error {
  return new Error(`SP-API ${what}`);
}

function reportInfo(raw: Partial<ReportInfo> | undefined, op: string): ReportInfo {
  if (!raw?.reportId || !raw.processingStatus || !STATUSES.includes(raw.processingStatus)) {
    throw bad(`${op} answered without reportId/a known processingStatus: ${JSON.stringify(raw)}`);
  }
  return raw as ReportInfo;
}

export function createReportsClient(spApi: SpApi, scale = 1): ReportsClient {
  const op = (name: ReportOperation): SpApiClient =>
    spApi.operation(name, scaledPlan(REPORT_PLANS[name], scale));
  const clients = {
    createReport: op('createReport'),
    getReport: op('getReport'),
    getReports: op('getReports'),
    getReportDocument: op('getReportDocument'),
  };
  return {
    async createReport(input) {
      const res = await clients.createReport.request({
        method: 'POST',
        path: `${REPORTS_PATH}/reports`,
        json: {
          reportType: input.reportType,
          marketplaceIds: input.marketplaceIds,
          ...(input.dataStartTime ? { dataStartTime: input.dataStartTime.toISOString() } : {}),
          ...(input.dataEndTime ? { dataEndTime: input.dataEndTime.toISOString() } : {}),
        },
      });
      const { reportId } = res.json<{ reportId?: string }>();
      if (!reportId) throw bad('createReport answered without reportId');
      return reportId;
    },
    async getReport(reportId) {
      const res = await clients.getReport.request({
        path: `${REPORTS_PATH}/reports/${encodeURIComponent(reportId)}`,
      });
      return reportInfo(res.json<Partial<ReportInfo>>(), `getReport ${reportId}`);
    },
    async getReports(q) {
      const out: ReportInfo[] = [];
      let nextToken: string | undefined;
      do {
        // with nextToken Amazon takes no other parameter
        const query = nextToken
          ? { nextToken }
          : {
              reportTypes: q.reportTypes.join(','),
              processingStatuses: q.processingStatuses?.join(','),
              marketplaceIds: q.marketplaceIds?.join(','),
              createdSince: q.createdSince?.toISOString(),
              pageSize: 100,
            };
        const res = await clients.getReports.request({ path: `${REPORTS_PATH}/reports`, query });
        const body = res.json<{ reports?: Partial<ReportInfo>[]; nextToken?: string }>();
        if (!Array.isArray(body.reports)) throw bad('getReports answered without a reports list');
        for (const r of body.reports) out.push(reportInfo(r, 'getReports'));
        nextToken = body.nextToken || undefined;
      } while (nextToken);
      return out;
    },
    async getReportDocument(reportDocumentId) {
      const res = await clients.getReportDocument.request({
        path: `${REPORTS_PATH}/documents/${encodeURIComponent(reportDocumentId)}`,
      });
      const d = res.json<Partial<ReportDocument>>();
      if (!d.url) throw bad(`getReportDocument ${reportDocumentId} answered without url`);
      return { reportDocumentId, url: d.url, compressionAlgorithm: d.compressionAlgorithm };
    },
    calls: () => ({
      createReport: clients.createReport.sent,
      getReport: clients.getReport.sent,
      getReports: clients.getReports.sent,
      getReportDocument: clients.getReportDocument.sent,
    }),
  };
}
