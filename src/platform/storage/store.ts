import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface PutOptions {
  contentType?: string;
}

/**
 * Where raw files, exports and backups live: a local directory by default, any S3 API (AWS, MinIO)
 * in production. Keys are relative, '/'-separated, and never contain '..' or control characters.
 */
export interface ObjectStore {
  readonly kind: 'local' | 's3';
  /** Stores a whole object; a stream is written without buffering it all in memory. */
  put(key: string, body: Buffer | string | Readable, opts?: PutOptions): Promise<ObjectInfo>;
  /** Streams an object; throws AppError('not_found') when it does not exist. */
  get(key: string): Promise<Readable>;
  /** Metadata, or undefined when the object does not exist. */
  stat(key: string): Promise<ObjectInfo | undefined>;
  /** Removes an object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix?: string): AsyncIterable<ObjectInfo>;
  /** Health probe for /health: 'ok' or 'down' (never throws). */
  check(): Promise<'ok' | 'down'>;
}
