import type http from 'node:http';
import { gzipSync } from 'node:zlib';
import { readRequestBody } from '../helpers/http.ts';

/**
 * SP-API Feeds 2021-06-30 on the listings fake's server: createFeedDocument, a pre-signed upload URL
 * (PUT, no token), createFeed, getFeed, getFeedDocument and the pre-signed download of the
 * JSON_LISTINGS_FEED processing report {header, issues, summary} (optionally GZIP). Feeds advance
 * IN_QUEUE → IN_PROGRESS → the scripted end on successive getFeed calls; `hold` keeps them processing
 * until `finish()`. Issues are scripted per SKU; the report maps them to the feed's messageIds.
 */

export interface FeedsScript {
  /** 429 answers (with Retry-After) to the next createFeed calls. */
  createThrottles?: number;
  retryAfterSeconds?: number;
  /** getFeed calls answered IN_PROGRESS before the end status (default 1). */
  pollsUntilEnd?: number;
  end?: 'DONE' | 'FATAL' | 'CANCELLED';
  /** Never ends by itself (until finish()). */
  hold?: boolean;
  gzip?: boolean;
  /** Report issues per SKU. */
  issues?: Record<string, { code: string; message: string; severity: 'ERROR' | 'WARNING' }[]>;
}

export interface FeedRecord {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL' | 'CANCELLED';
  polls: number;
  resultFeedDocumentId?: string;
}

export interface FeedsCall {
  at: number;
  method: string;
  path: string;
  token: string | undefined;
  status: number;
}

interface Doc {
  contentType: string;
  uploaded?: { body: string; contentType: string | undefined; token: string | undefined };
  report?: Buffer;
  gzip?: boolean;
}

const ROOT = '/feeds/2021-06-30';

export function createFakeFeeds(opts: {
  now: () => number;
  baseUrl: () => string;
  authorised: (token: string | undefined) => boolean;
}) {
  const docs = new Map<string, Doc>();
  const feeds = new Map<string, FeedRecord>();
  const calls: FeedsCall[] = [];
  let script: FeedsScript = {};
  let seq = 0;

  const json = (res: http.ServerResponse, status: number, body: unknown, h: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...h }).end(JSON.stringify(body));

  function report(feed: FeedRecord): Buffer {
    const input = JSON.parse(docs.get(feed.inputFeedDocumentId)!.uploaded!.body) as {
      messages: { messageId: number; sku: string }[];
    };
    const issues = input.messages.flatMap((m) =>
      (script.issues?.[m.sku] ?? []).map((i) => ({ messageId: m.messageId, ...i, attributeNames: [] })),
    );
    const invalid = new Set(issues.filter((i) => i.severity === 'ERROR').map((i) => i.messageId)).size;
    const body = {
      header: { sellerId: 'A2EXAMPLE1SELLER', version: '2.0', feedId: feed.feedId },
      issues,
      summary: {
        errors: issues.filter((i) => i.severity === 'ERROR').length,
        warnings: issues.filter((i) => i.severity === 'WARNING').length,
        messagesProcessed: input.messages.length,
        messagesAccepted: input.messages.length - invalid,
        messagesInvalid: invalid,
      },
    };
    return Buffer.from(JSON.stringify(body));
  }

  function end(feed: FeedRecord, status: 'DONE' | 'FATAL' | 'CANCELLED') {
    feed.status = status;
    if (status === 'CANCELLED') return;
    const id = `result-${++seq}`;
    docs.set(id, { contentType: 'application/json', report: report(feed), gzip: script.gzip });
    feed.resultFeedDocumentId = id;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> {
    const method = req.method ?? 'GET';
    const token = req.headers['x-amz-access-token'] as string | undefined;
    const call: FeedsCall = { at: opts.now(), method, path, token, status: 200 };
    const reply = (status: number, body: unknown, h?: Record<string, string>) => {
      call.status = status;
      json(res, status, body, h);
      return true;
    };
    const up = /^\/presigned\/(upload|download)\/([^/]+)$/.exec(path);
    if (up) {
      calls.push(call);
      const doc = docs.get(up[2]!);
      if (!doc) return reply(404, { message: 'NoSuchKey' });
      if (up[1] === 'upload' && method === 'PUT') {
        doc.uploaded = { body: await readRequestBody(req), contentType: req.headers['content-type'], token };
        return reply(200, {});
      }
      if (up[1] === 'download' && method === 'GET' && doc.report) {
        call.status = 200;
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(doc.gzip ? gzipSync(doc.report) : doc.report);
        return true;
      }
      return reply(403, { message: 'SignatureDoesNotMatch' });
    }
    if (!path.startsWith(ROOT)) return false;
    calls.push(call);
    if (!opts.authorised(token)) {
      return reply(403, { errors: [{ code: 'Unauthorized', message: 'Access denied.' }] });
    }
    const sub = path.slice(ROOT.length);
    const body = method === 'POST' ? JSON.parse((await readRequestBody(req)) || '{}') : undefined;
    if (method === 'POST' && sub === '/documents') {
      const id = `doc-${++seq}`;
      docs.set(id, { contentType: body.contentType });
      return reply(201, {
        feedDocumentId: id,
        url: `${opts.baseUrl()}/presigned/upload/${id}?X-Amz-Signature=fake`,
      });
    }
    if (method === 'POST' && sub === '/feeds') {
      if ((script.createThrottles ?? 0) > 0) {
        script.createThrottles! -= 1;
        const h = { 'retry-after': String(script.retryAfterSeconds ?? 2) };
        return reply(429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota.' }] }, h);
      }
      if (!docs.get(body.inputFeedDocumentId)?.uploaded) {
        return reply(400, { errors: [{ code: 'InvalidInput', message: 'feed document not uploaded' }] });
      }
      const feedId = `feed-${++seq}`;
      feeds.set(feedId, {
        feedId,
        feedType: body.feedType,
        marketplaceIds: body.marketplaceIds,
        inputFeedDocumentId: body.inputFeedDocumentId,
        status: 'IN_QUEUE',
        polls: 0,
      });
      return reply(202, { feedId });
    }
    const f = /^\/feeds\/([^/]+)$/.exec(sub);
    if (method === 'GET' && f) {
      const feed = feeds.get(decodeURIComponent(f[1]!));
      if (!feed) return reply(404, { errors: [{ code: 'NotFound', message: 'no such feed' }] });
      feed.polls++;
      if (feed.status === 'IN_QUEUE' || feed.status === 'IN_PROGRESS') {
        if (!script.hold && feed.polls > (script.pollsUntilEnd ?? 1)) end(feed, script.end ?? 'DONE');
        else feed.status = 'IN_PROGRESS';
      }
      const { polls: _p, inputFeedDocumentId: _i, status, ...rest } = feed;
      return reply(200, { ...rest, processingStatus: status, createdTime: new Date(call.at).toISOString() });
    }
    const d = /^\/documents\/([^/]+)$/.exec(sub);
    if (method === 'GET' && d) {
      const id = decodeURIComponent(d[1]!);
      const doc = docs.get(id);
      if (!doc?.report) return reply(404, { errors: [{ code: 'NotFound', message: 'no such document' }] });
      return reply(200, {
        feedDocumentId: id,
        url: `${opts.baseUrl()}/presigned/download/${id}?X-Amz-Signature=fake`,
        ...(doc.gzip ? { compressionAlgorithm: 'GZIP' } : {}),
      });
    }
    return reply(404, { errors: [{ code: 'NotFound', message: `no route ${method} ${path}` }] });
  }

  return {
    handle,
    calls,
    feeds,
    /** The uploaded feed body of a feed (parsed). */
    uploaded: (feedId: string) =>
      JSON.parse(docs.get(feeds.get(feedId)!.inputFeedDocumentId)!.uploaded!.body),
    upload: (feedId: string) => docs.get(feeds.get(feedId)!.inputFeedDocumentId)!.uploaded!,
    script: (s: FeedsScript) => {
      script = { ...s };
    },
    /** Ends a held feed now (its report uses the current script's issues). */
    finish: (feedId: string, status: 'DONE' | 'FATAL' | 'CANCELLED' = 'DONE') =>
      end(feeds.get(feedId)!, status),
  };
}

export type FakeFeeds = ReturnType<typeof createFakeFeeds>;
