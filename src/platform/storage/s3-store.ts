import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { AppError } from '../errors.ts';
import { validateKey, validatePrefix } from './keys.ts';
import type { ObjectInfo, ObjectStore, PutOptions } from './store.ts';

export interface S3StoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/** S3 needs parts of at least 5 MiB; 8 MiB keeps memory bounded at about one part per upload. */
export const PART_SIZE = 8 * 1024 * 1024;
const CHECK_TIMEOUT_MS = 2000;

interface S3ErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function isNotFound(err: unknown): boolean {
  const e = err as S3ErrorLike | null;
  // A missing bucket is a misconfiguration, not a missing object.
  if (e?.name === 'NoSuchBucket') return false;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

function upstream(op: string, key: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as S3ErrorLike | null;
  const message = e?.message || e?.name || String(err);
  const wrapped = new AppError('upstream', `s3 ${op} ${key}: ${message}`);
  wrapped.cause = err;
  return wrapped;
}

function notFound(key: string): never {
  throw new AppError('not_found', `object not found: ${key}`);
}

const missingIsFine = (): undefined => undefined;

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(opts: S3StoreOptions) {
    this.bucket = opts.bucket;
    this.client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials:
        opts.accessKeyId && opts.secretAccessKey
          ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
          : undefined,
      // Default CRC checksums (SDK >= 3.729) are rejected by many S3-compatible servers (older MinIO,
      // s3rver, Ceph); only send them where the API demands one.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Buffer | string | Readable, opts: PutOptions = {}): Promise<ObjectInfo> {
    validateKey(key);
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      return this.putOnce(key, typeof body === 'string' ? Buffer.from(body, 'utf8') : body, opts);
    }
    return this.putStream(key, body, opts);
  }

  private async putOnce(key: string, data: Buffer, opts: PutOptions): Promise<ObjectInfo> {
    const meta = { ContentLength: data.length, ContentType: opts.contentType };
    const cmd = new PutObjectCommand({ ...this.at(key), ...meta, Body: data });
    await this.call('put', key, () => this.client.send(cmd));
    return { key, size: data.length, lastModified: new Date() };
  }

  /**
   * A stream has no known length, so PutObject cannot take it directly. Buffer one part: if the stream
   * ends first it is a single PutObject, otherwise a multipart upload sending one part at a time (the
   * for-await loop stops reading while a part uploads, so memory stays at about one part).
   */
  private async putStream(key: string, body: Readable, opts: PutOptions): Promise<ObjectInfo> {
    let chunks: Buffer[] = [];
    let buffered = 0;
    let size = 0;
    let UploadId: string | undefined;
    const parts: { ETag: string | undefined; PartNumber: number }[] = [];
    // S3 allows at most 10,000 parts; growing the part size every 1,000 parts lifts the 80 GiB cap
    // that fixed 8 MiB parts would impose, and only very large uploads pay for it in memory.
    const partSize = () => PART_SIZE * 2 ** Math.floor(parts.length / 1000);
    const flush = async () => {
      const Body = Buffer.concat(chunks, buffered);
      chunks = [];
      buffered = 0;
      UploadId ??= await this.call('create upload', key, async () => {
        const cmd = new CreateMultipartUploadCommand({ ...this.at(key), ContentType: opts.contentType });
        const res = await this.client.send(cmd);
        if (!res.UploadId) throw new Error('no UploadId in response');
        return res.UploadId;
      });
      const PartNumber = parts.length + 1;
      const part = { UploadId, PartNumber, Body, ContentLength: Body.length };
      const cmd = new UploadPartCommand({ ...this.at(key), ...part });
      const res = await this.call('upload part', key, () => this.client.send(cmd));
      parts.push({ ETag: res.ETag, PartNumber });
    };
    try {
      for await (const chunk of body) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
        chunks.push(buf);
        buffered += buf.length;
        size += buf.length;
        if (buffered >= partSize()) await flush();
      }
      if (UploadId === undefined) return await this.putOnce(key, Buffer.concat(chunks, buffered), opts);
      if (buffered > 0) await flush();
      const MultipartUpload = { Parts: parts };
      const cmd = new CompleteMultipartUploadCommand({ ...this.at(key), UploadId, MultipartUpload });
      await this.call('complete upload', key, () => this.client.send(cmd));
      return { key, size, lastModified: new Date() };
    } catch (err) {
      // Parts of an upload that is never completed stay stored (and billed) until it is aborted.
      if (UploadId !== undefined) {
        const cmd = new AbortMultipartUploadCommand({ ...this.at(key), UploadId });
        await this.client.send(cmd).catch(() => {});
      }
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    validateKey(key);
    const cmd = new GetObjectCommand(this.at(key));
    const res = await this.call('get', key, () => this.client.send(cmd), notFound);
    if (!(res.Body instanceof Readable)) throw upstream('get', key, new Error('body is not a Node stream'));
    return res.Body;
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    validateKey(key);
    const cmd = new HeadObjectCommand(this.at(key));
    const res = await this.call('stat', key, () => this.client.send(cmd), missingIsFine);
    if (!res) return undefined;
    return { key, size: res.ContentLength ?? 0, lastModified: res.LastModified ?? new Date(0) };
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    const cmd = new DeleteObjectCommand(this.at(key));
    await this.call('delete', key, () => this.client.send(cmd), missingIsFine);
  }

  async *list(prefix = ''): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    let token: string | undefined;
    do {
      const Prefix = prefix || undefined;
      const cmd = new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ContinuationToken: token });
      const res = await this.call('list', prefix, () => this.client.send(cmd));
      for (const o of res.Contents ?? []) {
        if (o.Key === undefined) continue;
        yield { key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  }

  async check(): Promise<'ok' | 'down'> {
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The abort signal covers the SDK's retries; the race guarantees a verdict even if a handler ignores it.
    const timeout = new Promise<'down'>((resolve) => {
      timer = setTimeout(() => {
        ac.abort();
        resolve('down');
      }, CHECK_TIMEOUT_MS);
    });
    const probe = this.client
      .send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: ac.signal })
      .then(
        () => 'ok' as const,
        () => 'down' as const,
      );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private at(key: string): { Bucket: string; Key: string } {
    return { Bucket: this.bucket, Key: key };
  }

  /** Runs one S3 call: a missing object goes to `onMissing`, any other failure becomes 'upstream'. */
  private async call<T, M = never>(
    op: string,
    key: string,
    fn: () => Promise<T>,
    onMissing?: (k: string) => M,
  ) {
    try {
      return await fn();
    } catch (err) {
      if (onMissing && isNotFound(err)) return onMissing(key);
      throw upstream(op, key, err);
    }
  }

  /** Releases the client's sockets (for tests and shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}
