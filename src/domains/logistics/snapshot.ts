import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { HttpClient } from '../../platform/http/client.ts';
import { redactUrl } from '../../platform/http/redact.ts';
import { fetchToLocal, type SourceDeps } from '../../platform/sources.ts';
import { createObjectStore, type ObjectStore } from '../../platform/storage/index.ts';

/**
 * A source's own idea of its version (ETag, Last-Modified, S3 modification time), as the bigint
 * `seqno` of logistics_loadlog: the same seqno twice means the same snapshot without downloading it.
 */
export interface Version {
  seqno: string;
  /** What the seqno was derived from, for the run's report. */
  label: string;
}

export interface Snapshot {
  file: string;
  /** The file's own name, for messages. */
  name: string;
  sha256: string;
  version?: Version;
}

export type SnapshotDeps = Omit<SourceDeps, 'http'> & { http: HttpClient };

const schemeOf = (uri: string) => /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
const isHttp = (uri: string) => ['http', 'https'].includes(schemeOf(uri) ?? '');

/** How a source is named in loadlog, rates and reports: URLs without credentials (pre-signed ones). */
export function sourceKey(uri: string): string {
  if (!isHttp(uri)) return uri;
  try {
    return redactUrl(new URL(uri));
  } catch {
    return uri; // fetching it fails with the reason, as that source's error
  }
}

// 52 bits: a seqno stays exact as a JS number too (pg hands int8 to JS as Number here)
const hashSeqno = (text: string) =>
  String(Number.parseInt(createHash('sha256').update(text).digest('hex').slice(0, 13), 16));

/** A seqno for sources without a version (local files): the content itself. */
export const shaSeqno = (sha256: string) => hashSeqno(`sha256 ${sha256}`);

function headerVersion(h: Headers): Version | undefined {
  const etag = h.get('etag');
  if (etag) return { seqno: hashSeqno(`etag ${etag}`), label: `ETag ${etag}` };
  const lm = h.get('last-modified');
  const ms = lm ? Date.parse(lm) : Number.NaN;
  return Number.isFinite(ms) ? { seqno: String(ms), label: `Last-Modified ${lm}` } : undefined;
}

/** The store serving s3://bucket/…: AWA's own when it is that bucket, else one with the same S3 settings. */
async function storeFor(
  uri: string,
  deps: SnapshotDeps,
): Promise<{ store: ObjectStore; key: string } | null> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) return null;
  const [bucket, key] = [m[1]!, decodeURIComponent(m[2]!)];
  const same = deps.storage.STORAGE_DRIVER === 's3' && deps.storage.S3_BUCKET === bucket;
  const store = same
    ? deps.store
    : await createObjectStore({ ...deps.storage, STORAGE_DRIVER: 's3', S3_BUCKET: bucket });
  return { store, key };
}

/**
 * The version a source reports before anything is downloaded: HEAD for http(s), the object's
 * metadata for S3 (modification time and size: S3 times have one-second resolution), none for local
 * files. Undefined when it cannot tell (a server refusing HEAD, a pre-signed GET-only URL): the
 * caller then downloads and compares content hashes.
 */
export async function probeVersion(uri: string, deps: SnapshotDeps): Promise<Version | undefined> {
  try {
    if (isHttp(uri)) {
      const res = await deps.http.request({ method: 'HEAD', url: uri, retries: 0 });
      return headerVersion(res.headers);
    }
    const s3 = schemeOf(uri) === 's3' ? await storeFor(uri, deps) : null;
    const info = s3 ? await s3.store.stat(s3.key) : undefined;
    if (!info) return undefined;
    const at = info.lastModified.toISOString();
    return { seqno: hashSeqno(`s3 ${at} ${info.size}`), label: `LastModified ${at}, ${info.size} bytes` };
  } catch {
    return undefined;
  }
}

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

/**
 * Downloads a source into `dir` through the shared fetcher (its retries, timeouts, S3 settings) and
 * hashes it. An http(s) snapshot's version comes from the GET's own headers, so it describes the
 * bytes actually loaded; for S3 the caller passes what probeVersion saw just before.
 */
export async function fetchSnapshot(
  uri: string,
  dir: string,
  deps: SnapshotDeps,
  probed?: Version,
): Promise<Snapshot> {
  let headers: Headers | undefined;
  const http: HttpClient = {
    api: deps.http.api,
    request: (req) => deps.http.request(req),
    stream: async (req) => {
      const res = await deps.http.stream(req);
      headers = res.headers;
      return res;
    },
  };
  const local = await fetchToLocal(uri, dir, { store: deps.store, storage: deps.storage, http });
  const sha256 = await sha256Of(local.file);
  const version = headers ? headerVersion(headers) : schemeOf(uri) === 's3' ? probed : undefined;
  return { file: local.file, name: local.name, sha256, ...(version ? { version } : {}) };
}
