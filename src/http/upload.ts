import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { ObjectStore } from '../platform/storage/store.ts';

const BOOL = new Map([
  ['true', true],
  ['1', true],
  ['yes', true],
  ['on', true],
  ['false', false],
  ['0', false],
  ['no', false],
  ['off', false],
  ['', false],
]);

/** A boolean form field as browsers and curl send them. */
export function formBool(name: string, value: string): boolean {
  const b = BOOL.get(value.trim().toLowerCase());
  if (b === undefined)
    throw new AppError('invalid', `form field "${name}" must be true or false (got "${value}")`);
  return b;
}

export interface StoredUpload {
  key: string;
  fileName: string;
  size: number;
  /** Removes the stored object (when what was uploaded cannot be used). */
  discard(): Promise<void>;
}

/**
 * Streams the one file part of a multipart upload straight to object storage (memory stays flat
 * whatever the size) and hands every text field to `onField`. An upload over the limit is removed
 * again and answered 413; so is any upload whose fields are refused.
 */
export async function receiveUpload(
  req: FastifyRequest,
  store: ObjectStore,
  o: {
    maxBytes: number;
    keyFor: (fileName: string) => string | Promise<string>;
    onField: (name: string, value: string) => void;
  },
): Promise<StoredUpload> {
  let stored: StoredUpload | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') {
        o.onField(part.fieldname, String(part.value ?? ''));
        continue;
      }
      const file = part as MultipartFile;
      const fileName = file.filename || 'upload';
      const key = await o.keyFor(fileName);
      const info = await store.put(key, file.file);
      stored = { key, fileName, size: info.size, discard: () => store.delete(key).catch(() => {}) };
      if (file.file.truncated)
        throw Object.assign(new Error('too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
    }
    if (!stored) throw new AppError('invalid', 'the upload has no file part');
    return stored;
  } catch (err) {
    await stored?.discard();
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(
        'payload_too_large',
        `the file is larger than the upload limit of ${o.maxBytes} bytes`,
      );
    }
    throw err;
  }
}
