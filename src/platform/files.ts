import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { AppError } from './errors.ts';

/** The content hash that makes file loads idempotent (load_log.idempotency_key). */
export async function sha256OfFile(file: string, fileName: string): Promise<string> {
  const h = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new AppError(
      e.code === 'ENOENT' ? 'not_found' : 'invalid',
      `cannot read ${fileName}: ${e.message}`,
    );
  }
  return h.digest('hex');
}
