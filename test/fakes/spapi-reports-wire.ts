import { FAKE_CREDENTIALS } from './spapi.ts';
import type { DocRequest } from './spapi-reports-docs.ts';

/** The Reports/Sellers API fake's vocabulary: marketplaces, operations, scripts, usage plans. */

export const MARKETPLACE_IDS: Record<string, string> = {
  US: 'ATVPDKIKX0DER',
  CA: 'A2EUQ1WTGCTBG2',
  MX: 'A1AM78C64UM0Y8',
  DE: 'A1PA6795UKMFR9',
};

export type Operation =
  | 'createReport'
  | 'getReport'
  | 'getReports'
  | 'getReportDocument'
  | 'getMarketplaceParticipations'
  | 'document';

export interface ReportsCall {
  op: Operation;
  at: number;
  status: number;
  reportType?: string;
  reportId?: string;
}

export interface TypeScript {
  end?: 'DONE' | 'CANCELLED' | 'FATAL';
  /** getReport answers IN_QUEUE/IN_PROGRESS this many times first (default 1). */
  polls?: number;
  gzip?: boolean;
  /** A generated body instead of documentText (e.g. a 1 GB ledger). */
  body?: (req: DocRequest) => AsyncIterable<string> | string;
}

export interface FakeReport extends DocRequest {
  reportId: string;
  marketplaceIds: string[];
  createdTime: number;
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';
  polls: number;
  documentId?: string;
  script: TypeScript;
}

export const PLANS: Record<Exclude<Operation, 'document'>, { perSecond: number; burst: number }> = {
  createReport: { perSecond: 0.0167, burst: 15 },
  getReport: { perSecond: 2, burst: 15 },
  getReports: { perSecond: 0.0222, burst: 10 },
  getReportDocument: { perSecond: 0.0167, burst: 15 },
  getMarketplaceParticipations: { perSecond: 0.016, burst: 15 },
};

export interface FakeReportsOptions {
  now?: () => number;
  /** Participating marketplaces (codes of MARKETPLACE_IDS); default US. */
  marketplaces?: string[];
  /** getReport answers IN_PROGRESS this many times before the end, unless a type's script says (default 1). */
  polls?: number;
  /** Rows per day of windowed documents (default 3). */
  perDay?: number;
  /** Pre-signed URL lifetime (Amazon: 5 minutes). */
  urlTtlMs?: number;
  /** Enforce the usage plans (times `rateScale`) and answer 429 above them. */
  enforce?: boolean;
  rateScale?: number;
}

/** The environment that points AWA's SP-API clients at the fake (region na: US, CA, MX). */
export function fakeReportsEnv(fake: { url: string; lwaUrl: string }): Record<string, string> {
  return {
    SP_API_CLIENT_ID: FAKE_CREDENTIALS.clientId,
    SP_API_CLIENT_SECRET: FAKE_CREDENTIALS.clientSecret,
    SP_API_REFRESH_TOKEN: FAKE_CREDENTIALS.refreshToken,
    SP_API_REGION: 'na',
    SP_API_BASE_URL: fake.url,
    SP_API_LWA_URL: fake.lwaUrl,
    AWA_MARKETPLACE: 'US',
    AWA_CURRENCY: 'USD',
  };
}
