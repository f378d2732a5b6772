import type http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import { readRequestBody, startServer } from '../helpers/http.ts';
import { FAKE_CREDENTIALS } from './spapi.ts';
import { bigLedger, documentText } from './spapi-reports-docs.ts';
import {
  type FakeReport,
  type FakeReportsOptions,
  MARKETPLACE_IDS,
  type Operation,
  PLANS,
  type ReportsCall,
  type TypeScript,
} from './spapi-reports-wire.ts';

export {
  type FakeReportsOptions,
  fakeReportsEnv,
  MARKETPLACE_IDS,
  type Operation,
  PLANS,
  type TypeScript,
} from './spapi-reports-wire.ts';

/**
 * A local SP-API for the sync agent: LWA (refresh-token grant), Sellers v1
 * getMarketplaceParticipations and Reports 2021-06-30 (createReport, getReport, getReports,
 * getReportDocument) with pre-signed document URLs on the same server that expire (403
 * AccessDenied "Request has expired", as S3 answers). Reports go IN_QUEUE → IN_PROGRESS → the
 * scripted end (DONE, CANCELLED, or FATAL with an error document) over successive getReport calls.
 * Usage plans are enforced per operation by `now` (429 QuotaExceeded with x-amzn-RateLimit-Limit),
 * and every call is recorded with its arrival time, for quota assertions in virtual or real time.
 */

const ROOT = '/reports/2021-06-30';

export async function startFakeReports(opts: FakeReportsOptions = {}) {
  const now = opts.now ?? Date.now;
  const scale = opts.rateScale ?? 1;
  const calls: ReportsCall[] = [];
  const reports = new Map<string, FakeReport>();
  const docs = new Map<string, { report: FakeReport; error?: string }>();
  const scripts = new Map<string, TypeScript>();
  const throttles = new Map<Operation, { n: number; retryAfter?: number }>();
  const buckets = new Map<Operation, { tokens: number; last: number }>();
  let expireNextUrls = 0;
  let seq = 0;
  let base = '';

  const json = (res: http.ServerResponse, status: number, body: unknown, h: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...h }).end(JSON.stringify(body));
  const errors = (code: string, message: string) => ({ errors: [{ code, message, details: '' }] });

  function overPlan(op: Exclude<Operation, 'document'>, at: number): boolean {
    if (!opts.enforce) return false;
    const plan = PLANS[op];
    const rate = plan.perSecond * scale;
    const b = buckets.get(op) ?? { tokens: plan.burst, last: at };
    b.tokens = Math.min(plan.burst, b.tokens + (Math.max(0, at - b.last) * rate) / 1000);
    b.last = at;
    buckets.set(op, b);
    if (b.tokens + 1e-9 < 1) return true;
    b.tokens -= 1;
    return false;
  }

  const info = (r: FakeReport) => ({
    reportId: r.reportId,
    reportType: r.reportType,
    marketplaceIds: r.marketplaceIds,
    processingStatus: r.status,
    createdTime: new Date(r.createdTime).toISOString(),
    ...(r.start !== undefined ? { dataStartTime: new Date(r.start).toISOString() } : {}),
    ...(r.end !== undefined ? { dataEndTime: new Date(r.end).toISOString() } : {}),
    ...(r.documentId ? { reportDocumentId: r.documentId } : {}),
    ...(r.status === 'DONE' || r.status === 'FATAL'
      ? { processingEndTime: new Date(now()).toISOString() }
      : {}),
  });

  function addReport(
    reportType: string,
    marketplace: string,
    at: number,
    w?: { start: number; end: number },
  ) {
    const script = scripts.get(reportType) ?? {};
    const r: FakeReport = {
      reportId: String(5_000_000 + ++seq),
      reportType,
      marketplace,
      marketplaceIds: [MARKETPLACE_IDS[marketplace]!],
      start: w?.start,
      end: w?.end,
      createdTime: at,
      status: 'IN_QUEUE',
      polls: 0,
      script,
    };
    reports.set(r.reportId, r);
    return r;
  }

  function finish(r: FakeReport) {
    const end = r.script.end ?? 'DONE';
    r.status = end;
    if (end === 'DONE' || end === 'FATAL') {
      r.documentId = `amzn1.spdoc.1.4.na.${r.reportId}`;
      docs.set(r.documentId, {
        report: r,
        error:
          end === 'FATAL'
            ? `Report ${r.reportId}: the date range is not valid for this report type`
            : undefined,
      });
    }
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, path: string, url: URL) {
    const at = now();
    const op: Exclude<Operation, 'document'> =
      path === '/sellers/v1/marketplaceParticipations'
        ? 'getMarketplaceParticipations'
        : path === `${ROOT}/reports` && req.method === 'POST'
          ? 'createReport'
          : path === `${ROOT}/reports`
            ? 'getReports'
            : path.startsWith(`${ROOT}/documents/`)
              ? 'getReportDocument'
              : 'getReport';
    const call: ReportsCall = { op, at, status: 200 };
    calls.push(call);
    const reply = (status: number, body: unknown, h?: Record<string, string>) => {
      call.status = status;
      json(res, status, body, h);
    };
    const token = req.headers['x-amz-access-token'];
    if (typeof token !== 'string' || !token.startsWith('Atza|fake-')) {
      return reply(403, errors('Unauthorized', 'Access to requested resource is denied.'));
    }
    const limit = { 'x-amzn-ratelimit-limit': String(PLANS[op].perSecond * scale) };
    const scripted = throttles.get(op);
    if (scripted && scripted.n > 0) {
      scripted.n--;
      const h: Record<string, string> = { ...limit };
      if (scripted.retryAfter !== undefined) h['retry-after'] = String(scripted.retryAfter);
      return reply(429, errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'), h);
    }
    if (overPlan(op, at)) {
      return reply(
        429,
        errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'),
        limit,
      );
    }
    if (op === 'getMarketplaceParticipations') {
      const payload = (opts.marketplaces ?? ['US']).map((code) => ({
        marketplace: {
          id: MARKETPLACE_IDS[code],
          countryCode: code,
          name: `Amazon ${code}`,
          defaultCurrencyCode: 'USD',
        },
        participation: { isParticipating: true, hasSuspendedListings: false },
      }));
      // a marketplace AWA does not know is listed too, as real accounts have (e.g. a non-Amazon site)
      payload.push({
        marketplace: {
          id: 'A2ZV50J4W1RKNI',
          countryCode: 'US',
          name: 'Non-Amazon',
          defaultCurrencyCode: 'USD',
        },
        participation: { isParticipating: true, hasSuspendedListings: false },
      });
      return reply(200, { payload });
    }
    if (op === 'createReport') {
      const body = JSON.parse(await readRequestBody(req)) as {
        reportType: string;
        marketplaceIds: string[];
        dataStartTime?: string;
        dataEndTime?: string;
      };
      const mp = Object.entries(MARKETPLACE_IDS).find(([, id]) => id === body.marketplaceIds?.[0])?.[0];
      if (!body.reportType || !mp) return reply(400, errors('InvalidInput', 'reportType and marketplaceIds'));
      const w = body.dataStartTime
        ? {
            start: Date.parse(body.dataStartTime),
            end: Date.parse(body.dataEndTime ?? new Date(at).toISOString()),
          }
        : undefined;
      call.reportType = body.reportType;
      const r = addReport(body.reportType, mp, at, w);
      call.reportId = r.reportId;
      return reply(202, { reportId: r.reportId });
    }
    if (op === 'getReports') {
      const q = url.searchParams;
      const all = [...reports.values()].sort((a, b) => a.createdTime - b.createdTime);
      let start = 0;
      if (q.get('nextToken')) start = Number(q.get('nextToken'));
      const types = q.get('reportTypes')?.split(',');
      const statuses = q.get('processingStatuses')?.split(',');
      const mps = q.get('marketplaceIds')?.split(',');
      const since = q.get('createdSince') ? Date.parse(q.get('createdSince')!) : at - 90 * 86_400_000;
      const match = all.filter(
        (r) =>
          (!types || types.includes(r.reportType)) &&
          (!statuses || statuses.includes(r.status)) &&
          (!mps || mps.some((m) => r.marketplaceIds.includes(m))) &&
          r.createdTime >= since,
      );
      const size = 2; // small pages, so paging is exercised
      const page = match.slice(start, start + size);
      const next = start + size < match.length ? { nextToken: String(start + size) } : {};
      return reply(200, { reports: page.map(info), ...next });
    }
    if (op === 'getReportDocument') {
      const id = decodeURIComponent(path.slice(`${ROOT}/documents/`.length));
      const doc = docs.get(id);
      if (!doc) return reply(404, errors('NotFound', `no document ${id}`));
      let ttl = opts.urlTtlMs ?? 300_000;
      if (expireNextUrls > 0) {
        expireNextUrls--;
        ttl = -1;
      }
      const gz = doc.report.script.gzip && !doc.error;
      return reply(200, {
        reportDocumentId: id,
        url: `${base}/s3/${encodeURIComponent(id)}?X-Amz-Expires=${at + ttl}&X-Amz-Signature=fake`,
        ...(gz ? { compressionAlgorithm: 'GZIP' } : {}),
      });
    }
    const id = decodeURIComponent(path.slice(`${ROOT}/reports/`.length));
    const r = reports.get(id);
    call.reportId = id;
    if (!r) return reply(404, errors('NotFound', `no report ${id}`));
    call.reportType = r.reportType;
    if (r.status === 'IN_QUEUE' || r.status === 'IN_PROGRESS') {
      if (r.polls++ >= (r.script.polls ?? opts.polls ?? 1)) finish(r);
      else r.status = 'IN_PROGRESS';
    }
    return reply(200, info(r));
  }

  async function document(res: http.ServerResponse, path: string, url: URL) {
    const call: ReportsCall = { op: 'document', at: now(), status: 200 };
    calls.push(call);
    const id = decodeURIComponent(path.slice('/s3/'.length));
    const doc = docs.get(id);
    if (!doc) return res.writeHead(404).end();
    call.reportId = doc.report.reportId;
    if (Number(url.searchParams.get('X-Amz-Expires')) < now()) {
      call.status = 403;
      return res
        .writeHead(403, { 'content-type': 'application/xml' })
        .end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    }
    if (doc.error) return res.writeHead(200, { 'content-type': 'text/plain' }).end(doc.error);
    const r = doc.report;
    const body = r.script.body ? r.script.body(r) : documentText(r, opts.perDay);
    const source = typeof body === 'string' ? Readable.from([body]) : Readable.from(body);
    res.writeHead(200, { 'content-type': 'text/plain' });
    const sent = r.script.gzip
      ? pipeline(source, createGzip({ level: constants.Z_BEST_SPEED }), res)
      : pipeline(source, res);
    await sent.catch(() => res.destroy());
  }

  async function lwa(req: http.IncomingMessage, res: http.ServerResponse) {
    const form = Object.fromEntries(new URLSearchParams(await readRequestBody(req)));
    if (
      form.refresh_token !== FAKE_CREDENTIALS.refreshToken ||
      form.client_id !== FAKE_CREDENTIALS.clientId
    ) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'bad refresh token' });
    }
    return json(res, 200, { access_token: `Atza|fake-${++seq}`, token_type: 'bearer', expires_in: 3600 });
  }

  const server = await startServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    if (req.method === 'POST' && path === '/auth/o2/token') return lwa(req, res);
    if (path.startsWith('/s3/')) return document(res, path, url);
    if (path.startsWith(ROOT) || path.startsWith('/sellers/')) return api(req, res, path, url);
    json(res, 404, errors('NotFound', `no route ${req.method} ${path}`));
  });
  base = server.url;

  return {
    url: server.url,
    lwaUrl: `${server.url}/auth/o2/token`,
    calls,
    reports,
    /** How reports of a type end (default: DONE after one IN_PROGRESS poll, plain text). */
    script: (reportType: string, s: TypeScript) => scripts.set(reportType, s),
    /** 429 answers to the next `n` calls of an operation. */
    throttle: (op: Operation, n: number, retryAfter?: number) => throttles.set(op, { n, retryAfter }),
    /** The next `n` document URLs handed out are already expired. */
    expireUrls: (n: number) => {
      expireNextUrls = n;
    },
    /** A settlement report Amazon generated (DONE, with its document). */
    addSettlement: (marketplace: string, at: number, window: { start: number; end: number }) => {
      const r = addReport('GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2', marketplace, at, window);
      finish(r);
      return r;
    },
    count: (op: Operation) => calls.filter((c) => c.op === op).length,
    times: (op: Operation) => calls.filter((c) => c.op === op).map((c) => c.at),
    close: () => server.close(),
  };
}

export type FakeReports = Awaited<ReturnType<typeof startFakeReports>>;

export { bigLedger };
