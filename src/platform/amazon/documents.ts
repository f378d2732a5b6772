import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { HttpClient } from '../http/client.ts';
import { isHttpClientError } from '../http/errors.ts';

/**
 * SP-API documents (reports, feed results) live behind pre-signed S3 URLs that expire (5 minutes
 * after getReportDocument / getFeedDocument answered): such a URL then answers 403 (AccessDenied,
 * "Request has expired"). The caller asks for the document again, which signs a fresh URL.
 */
export const isExpiredDocumentUrl = (err: unknown): boolean =>
  isHttpClientError(err) && (err.status === 403 || err.status === 400);

export interface DownloadedDocument {
  /** Bytes written (after decompression). */
  bytes: number;
  /** Line breaks seen: a report of one line is its header alone (no data for the window). */
  lines: number;
}

/**
 * Streams a pre-signed document to `dest`, gunzipped when `compressionAlgorithm` is GZIP: memory
 * stays at a few chunks whatever the size (the HTTP body, gunzip and the file write are one
 * back-pressured pipeline). `documents` is the SP-API documents client (no access token: the URL's
 * signature authorises it).
 */
export async function downloadDocument(
  documents: HttpClient,
  doc: { url: string; compressionAlgorithm?: string },
  dest: string,
  signal?: AbortSignal,
): Promise<DownloadedDocument> {
  const res = await documents.stream({ url: doc.url, signal, timeoutMs: 120_000 });
  const out: DownloadedDocument = { bytes: 0, lines: 0 };
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      out.bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) out.lines++;
      done(null, chunk);
    },
  });
  if (doc.compressionAlgorithm === 'GZIP') {
    await pipeline(res.body, createGunzip(), count, createWriteStream(dest), { signal });
  } else {
    await pipeline(res.body, count, createWriteStream(dest), { signal });
  }
  return out;
}
