/**
 * SP-API Listings Items 2021-08-01 `patchListingsItem`, for prices only:
 * PATCH /listings/2021-08-01/items/{sellerId}/{sku}?marketplaceIds=… with a JSON Patch replacing
 * /attributes/purchasable_offer (marketplace_id, currency, our_price[0].schedule[0].value_with_tax).
 * 200 answers ListingsItemSubmissionResponse {sku, status: ACCEPTED | INVALID, submissionId, issues};
 * a refused request answers 4xx with ErrorList {errors: [{code, message, details}]}.
 * Usage plan: 5 requests/s (burst 10); the shared HTTP client's token bucket keeps us below it.
 */
import type { Redis } from 'ioredis';
import { spApiMarketplaces } from '../../platform/amazon/marketplaces.ts';
import { createSpApi, isSpApiAuthFailure, missingSpApiCredentials } from '../../platform/amazon/spapi.ts';
import type { Config } from '../../platform/config.ts';
import { type HttpClient, isHttpClientError } from '../../platform/http/client.ts';
import type { ClientTuning } from '../../platform/http/tuning.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { createFeedsClient, type FeedsClient } from './feeds.client.ts';
import { patchBody } from './price.patch.ts';

export const LISTINGS_PATH = '/listings/2021-08-01/items';

export interface Issue {
  code?: string;
  message?: string;
  severity?: string;
  attributeNames?: string[];
}

export type SubmitOutcome =
  | { status: 'accepted'; submissionId: string | null; issues: Issue[] }
  | { status: 'rejected'; submissionId: string | null; issues: Issue[] }
  /** Not answered (retries exhausted, network); `auth` = credentials refused, later calls will fail too. */
  | { status: 'failed'; message: string; auth?: boolean };

export interface PriceSubmitter {
  submit(
    item: { sku: string; price: string; currency: string },
    signal?: AbortSignal,
  ): Promise<SubmitOutcome>;
  /** Requests in flight at once (the client's concurrency). */
  readonly concurrency: number;
  /** JSON_LISTINGS_FEED submissions (runs with more than FEED_THRESHOLD changes). */
  readonly feeds?: FeedsClient;
}

/** A refused call's body: ErrorList {errors}, or a submission response {status: INVALID, issues}. */
function refusalOf(text: string | undefined): { issues: Issue[]; submissionId: string | null } {
  try {
    const body = JSON.parse(text ?? '') as { errors?: Issue[]; issues?: Issue[]; submissionId?: string };
    const submissionId = typeof body.submissionId === 'string' ? body.submissionId : null;
    if (Array.isArray(body.issues) && body.issues.length > 0) return { issues: body.issues, submissionId };
    if (Array.isArray(body.errors)) {
      return {
        issues: body.errors.map((e) => ({ code: e.code, message: e.message, severity: 'ERROR' })),
        submissionId,
      };
    }
  } catch {
    // not JSON: the status says enough
  }
  return { issues: [], submissionId: null };
}

interface SubmissionResponse {
  sku?: string;
  status?: string;
  submissionId?: string;
  issues?: Issue[];
}

/** `http` is the listings operation's SP-API client: a refused token has had its one retry there. */
export function createListingsSubmitter(
  http: HttpClient,
  opts: { sellerId: string; marketplaceId: string; concurrency: number },
): PriceSubmitter {
  const call = async (item: { sku: string; price: string; currency: string }, signal?: AbortSignal) => {
    const res = await http.request({
      method: 'PATCH',
      path: `${LISTINGS_PATH}/${encodeURIComponent(opts.sellerId)}/${encodeURIComponent(item.sku)}`,
      query: { marketplaceIds: opts.marketplaceId },
      json: patchBody(opts.marketplaceId, item.currency, item.price),
      signal,
    });
    const body = res.json<SubmissionResponse>() ?? {};
    const issues = Array.isArray(body.issues) ? body.issues : [];
    const submissionId = typeof body.submissionId === 'string' ? body.submissionId : null;
    if (body.status === 'ACCEPTED') return { status: 'accepted', submissionId, issues } as const;
    return {
      status: 'rejected',
      submissionId,
      issues: issues.length > 0 ? issues : [{ message: `status ${String(body.status)}` }],
    } as const;
  };
  return {
    concurrency: opts.concurrency,
    async submit(item, signal) {
      try {
        return await call(item, signal);
      } catch (err) {
        if (!isHttpClientError(err)) throw err;
        if (isSpApiAuthFailure(err)) {
          return {
            status: 'failed',
            auth: true,
            message: `SP-API refused the credentials (HTTP ${err.status}); check the app's Product Listing role and SP_API_SELLER_ID`,
          };
        }
        // 4xx other than 429: Amazon refused this request; retrying the same body cannot help
        if (err.reason === 'status' && err.status !== undefined && err.status < 500 && err.status !== 429) {
          const r = refusalOf(err.responseText);
          return {
            status: 'rejected',
            submissionId: r.submissionId,
            issues: r.issues.length > 0 ? r.issues : [{ message: `HTTP ${err.status}` }],
          };
        }
        return { status: 'failed', message: err.message };
      }
    },
  };
}

/** Knobs for tests and the bench: virtual time and fewer waits. */
export interface SubmitTuning extends ClientTuning {
  /**
   * Calls in flight (default min(5, rate)). Virtual-time tests use 1: with several calls in flight the
   * fake clock moves on while a request travels, so arrival times would not show when it was sent.
   */
  concurrency?: number;
  /** Total wait for a feed within a run (default FEED_POLL_LIMIT_MS). */
  feedPollLimitMs?: number;
}

/** The variables live mode needs that are not set, in the order the README lists them. */
export function missingLiveConfig(config: Config): string[] {
  return [...missingSpApiCredentials(config), ...(config.SP_API_SELLER_ID ? [] : ['SP_API_SELLER_ID'])];
}

/** The live-mode submitter for this configuration (call only when missingLiveConfig is empty). */
export function createSubmitter(
  config: Config,
  env: { redis?: Redis; metrics?: Metrics; log?: Logger; tuning?: SubmitTuning } = {},
): PriceSubmitter {
  const t = env.tuning ?? {};
  const spApi = createSpApi(config, env);
  const concurrency = t.concurrency ?? Math.max(1, Math.min(5, Math.ceil(config.REPRICER_SUBMIT_PER_SECOND)));
  // burst 1: never more than the rate in any one-second window
  const http = spApi.operation('listings', {
    ratePerSecond: config.REPRICER_SUBMIT_PER_SECOND,
    burst: 1,
    concurrency,
  });
  const marketplaceId = spApiMarketplaces(config)[0]!.id;
  const sellerId = config.SP_API_SELLER_ID!;
  // getFeed's plan (2/s, burst 15); a run makes 2 create calls and a few polls
  const feedsApi = spApi.operation('feeds', { ratePerSecond: 2, burst: 15 });
  // pre-signed S3 URLs: no token, no base URL, feed files up to a few MB
  const documents = spApi.documents('feed-documents');
  return {
    ...createListingsSubmitter(http, { sellerId, marketplaceId, concurrency }),
    feeds: createFeedsClient(feedsApi, documents, { sellerId, marketplaceId }),
  };
}

const shared = new WeakMap<Config, () => PriceSubmitter>();

/**
 * The submitter every route of a server shares (pricing, the inbox's "apply"), made on first use and
 * kept per configuration object: one LWA token and one rate-limit bucket per process, so two routes
 * setting prices at once still keep to REPRICER_SUBMIT_PER_SECOND.
 */
export function lazySubmitter(
  config: Config,
  env: { redis?: Redis; metrics?: Metrics; log?: Logger } = {},
): () => PriceSubmitter {
  let get = shared.get(config);
  if (!get) {
    let submitter: PriceSubmitter | undefined;
    get = () => {
      submitter ??= createSubmitter(config, env);
      return submitter;
    };
    shared.set(config, get);
  }
  return get;
}
