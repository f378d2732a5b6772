import path from 'node:path';
import { AppError } from '../errors.ts';
import { FsObjectStore } from './fs-store.ts';
import type { ObjectStore } from './store.ts';

export { FsObjectStore } from './fs-store.ts';
export { MAX_KEY_BYTES, sanitiseFileName, uploadKey, validateKey, validatePrefix } from './keys.ts';
export type { S3StoreOptions } from './s3-store.ts';
export type { ObjectInfo, ObjectStore, PutOptions } from './store.ts';

export interface StorageConfig {
  STORAGE_DRIVER: 'local' | 's3';
  dataDir: string;
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_BUCKET?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_FORCE_PATH_STYLE: boolean;
}

/** The AWS SDK is loaded only when S3 is configured: it costs ~0.2 s of start-up otherwise. */
export async function createObjectStore(cfg: StorageConfig): Promise<ObjectStore> {
  if (cfg.STORAGE_DRIVER === 'local') return new FsObjectStore(path.join(cfg.dataDir, 'objects'));
  if (!cfg.S3_BUCKET) throw new AppError('config', 'S3_BUCKET is required when STORAGE_DRIVER=s3');
  const { S3ObjectStore } = await import('./s3-store.ts');
  return new S3ObjectStore({
    endpoint: cfg.S3_ENDPOINT,
    region: cfg.S3_REGION,
    bucket: cfg.S3_BUCKET,
    accessKeyId: cfg.S3_ACCESS_KEY_ID,
    secretAccessKey: cfg.S3_SECRET_ACCESS_KEY,
    forcePathStyle: cfg.S3_FORCE_PATH_STYLE,
  });
}
