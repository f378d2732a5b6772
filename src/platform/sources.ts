import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { AppError, isAppError } from './errors.ts';
import { createHttpClient, type HttpClient, isHttpClientError } from './http/client.ts';
import {
  createObjectStore,
  type ObjectStore,
  type StorageConfig,
  sanitiseFileName,
} from './storage/index.ts';

/**
 * Where files that AWA loads come from (reports, rate cards): a local path, `file://`, `s3://bucket/key`
 * (through the object store, with the S3_* settings) or `http(s)://` (through the shared HTTP client).
 */
export interface SourceDeps {
  store: ObjectStore;
  storage: StorageConfig;
  /** Defaults to a client for api `download` (60 s to first byte and between chunks, 3 retries). */
  http?: HttpClient;
}

export interface LocalFile {
  /** A readable local path. */
  file: string;
  /** The file's own name (last path segment), sanitised. */
  name: string;
  /** The URI as given, for records and messages. */
  origin: string;
}

const downloadClient = () => createHttpClient({ api: 'download', timeoutMs: 60_000, retries: 3 });

function parseS3(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new AppError('invalid', `${uri}: an S3 URI looks like s3://bucket/path/to/file`);
  return { bucket: m[1]!, key: decodeURIComponent(m[2]!) };
}

async function s3Stream(uri: string, deps: SourceDeps): Promise<Readable> {
  const { bucket, key } = parseS3(uri);
  const sameBucket = deps.storage.STORAGE_DRIVER === 's3' && deps.storage.S3_BUCKET === bucket;
  const store = sameBucket
    ? deps.store
    : await createObjectStore({ ...deps.storage, STORAGE_DRIVER: 's3', S3_BUCKET: bucket });
  try {
    return await store.get(key);
  } catch (err) {
    if (isAppError(err) && err.kind === 'not_found') throw new AppError('not_found', `${uri} does not exist`);
    throw err;
  }
}

async function httpStream(uri: string, deps: SourceDeps): Promise<Readable> {
  const client = deps.http ?? downloadClient();
  try {
    const res = await client.stream({ url: uri });
    return res.body;
  } catch (err) {
    if (isHttpClientError(err) && err.status === 404) throw new AppError('not_found', err.message);
    throw err;
  }
}

/** Resolves FILE|URI to a local file, downloading remote ones into `dir` (the caller removes it). */
export async function fetchToLocal(uri: string, dir: string, deps: SourceDeps): Promise<LocalFile> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (!scheme || scheme === 'file') {
    const file = scheme ? fileURLToPath(uri) : path.resolve(uri);
    const st = await stat(file).catch(() => undefined);
    if (!st) throw new AppError('not_found', `${uri}: no such file`);
    if (!st.isFile()) throw new AppError('invalid', `${uri} is not a file`);
    return { file, name: path.basename(file), origin: uri };
  }
  if (scheme !== 's3' && scheme !== 'http' && scheme !== 'https') {
    throw new AppError(
      'invalid',
      `${uri}: unsupported scheme ${scheme}:// (use a path, file://, s3:// or https://)`,
    );
  }
  const last = new URL(uri).pathname.split('/').filter(Boolean).pop() ?? 'download';
  const name = sanitiseFileName(decodeURIComponent(last));
  const file = path.join(dir, name);
  const body = scheme === 's3' ? await s3Stream(uri, deps) : await httpStream(uri, deps);
  try {
    await pipeline(body, createWriteStream(file));
  } catch (err) {
    if (isHttpClientError(err) || isAppError(err)) throw err;
    throw new AppError('upstream', `${uri}: the download broke off (${(err as Error).message})`);
  }
  return { file, name, origin: uri };
}

/** Copies an object of AWA's own store (an upload) to a local file in `dir`. */
export async function objectToLocal(store: ObjectStore, key: string, dir: string): Promise<LocalFile> {
  const file = path.join(dir, path.basename(key));
  await pipeline(await store.get(key), createWriteStream(file));
  return { file, name: path.basename(key), origin: key };
}
