/**
 * SP-API Feeds 2021-06-30 for a JSON_LISTINGS_FEED of prices (SPEC §8, > 500 changes):
 * createFeedDocument (POST /feeds/2021-06-30/documents {contentType} → {feedDocumentId, url}), PUT the
 * feed to the pre-signed url, createFeed (POST /feeds/2021-06-30/feeds {feedType, marketplaceIds,
 * inputFeedDocumentId} → {feedId}), getFeed (GET …/feeds/{feedId} → {processingStatus,
 * resultFeedDocumentId}) and getFeedDocument (GET …/documents/{id} → {url, compressionAlgorithm?}) for
 * the processing report {header, issues: [{messageId, code, message, severity}], summary}.
 * 2021-06-30 answers are not wrapped in `payload`. Usage plans: createFeedDocument 0.5/s, createFeed
 * 0.0083/s, getFeed 2/s, all burst 15 — one feed per run stays within the burst.
 */
import { gunzipSync } from 'node:zlib';
import type { HttpClient } from '../../platform/http/client.ts';
import type { Issue } from './listings.client.ts';
import { patchBody } from './price.patch.ts';

export const FEEDS_PATH = '/feeds/2021-06-30';
export const FEED_CONTENT_TYPE = 'application/json; charset=UTF-8';

export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';

export interface FeedStatus {
  feedId: string;
  processingStatus: ProcessingStatus;
  resultFeedDocumentId?: string;
}

export interface ReportIssue extends Issue {
  messageId?: number;
}

export interface ProcessingReport {
  issues: ReportIssue[];
  summary?: { messagesProcessed?: number; messagesAccepted?: number; messagesInvalid?: number };
}

export interface FeedMessageInput {
  messageId: number;
  sku: string;
  price: string;
  currency: string;
}

export interface FeedsClient {
  /** Uploads the feed document and creates the feed; returns its feedId. */
  submit(messages: FeedMessageInput[]): Promise<string>;
  getFeed(feedId: string): Promise<FeedStatus>;
  /** The processing report of a DONE feed (gunzipped when the document says GZIP). */
  report(resultFeedDocumentId: string): Promise<ProcessingReport>;
}

/** The feed body: one PATCH message per price, the same patch patchListingsItem sends. */
export function feedBody(sellerId: string, marketplaceId: string, messages: FeedMessageInput[]) {
  return {
    header: { sellerId, version: '2.0', issueLocale: 'en_US' },
    messages: messages.map((m) => ({
      messageId: m.messageId,
      sku: m.sku,
      operationType: 'PATCH',
      ...patchBody(marketplaceId, m.currency, m.price),
    })),
  };
}

const STATUSES: ProcessingStatus[] = ['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'CANCELLED', 'FATAL'];

/**
 * `api` is the feeds operation's SP-API client (the token, one retry with a fresh one); `documents`
 * talks to the pre-signed URLs, which must not get the token (the URL's signature is the authorisation).
 */
export function createFeedsClient(
  api: HttpClient,
  documents: HttpClient,
  opts: { sellerId: string; marketplaceId: string },
): FeedsClient {
  return {
    async submit(messages) {
      const doc = await api.request({
        method: 'POST',
        path: `${FEEDS_PATH}/documents`,
        json: { contentType: FEED_CONTENT_TYPE },
      });
      const { feedDocumentId, url } = doc.json<{ feedDocumentId?: string; url?: string }>();
      if (!feedDocumentId || !url) throw new Error('createFeedDocument answered without feedDocumentId/url');
      await documents.request({
        method: 'PUT',
        url,
        headers: { 'content-type': FEED_CONTENT_TYPE },
        body: JSON.stringify(feedBody(opts.sellerId, opts.marketplaceId, messages)),
      });
      const feed = await api.request({
        method: 'POST',
        path: `${FEEDS_PATH}/feeds`,
        json: {
          feedType: 'JSON_LISTINGS_FEED',
          marketplaceIds: [opts.marketplaceId],
          inputFeedDocumentId: feedDocumentId,
        },
      });
      const { feedId } = feed.json<{ feedId?: string }>();
      if (!feedId) throw new Error('createFeed answered without feedId');
      return feedId;
    },
    async getFeed(feedId) {
      const res = await api.request({
        method: 'GET',
        path: `${FEEDS_PATH}/feeds/${encodeURIComponent(feedId)}`,
      });
      const f = res.json<Partial<FeedStatus>>();
      if (!f.processingStatus || !STATUSES.includes(f.processingStatus)) {
        throw new Error(`getFeed ${feedId}: unknown processingStatus ${String(f.processingStatus)}`);
      }
      return { feedId, processingStatus: f.processingStatus, resultFeedDocumentId: f.resultFeedDocumentId };
    },
    async report(resultFeedDocumentId) {
      const res = await api.request({
        method: 'GET',
        path: `${FEEDS_PATH}/documents/${encodeURIComponent(resultFeedDocumentId)}`,
      });
      const d = res.json<{ url?: string; compressionAlgorithm?: string }>();
      if (!d.url) throw new Error(`getFeedDocument ${resultFeedDocumentId} answered without url`);
      const file = await documents.request({ method: 'GET', url: d.url });
      const raw = d.compressionAlgorithm === 'GZIP' ? gunzipSync(file.body) : file.body;
      const body = JSON.parse(raw.toString('utf8')) as Partial<ProcessingReport>;
      return { issues: Array.isArray(body.issues) ? body.issues : [], summary: body.summary };
    },
  };
}
