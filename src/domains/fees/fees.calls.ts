import { AppError, isAppError, messageOf } from '../../platform/errors.ts';
import { isHttpClientError } from '../../platform/http/client.ts';
import type { FeeRequestItem, FeeSource, ItemOutcome } from './estimate.ts';

// This many whole calls failing in a row (after the HTTP client's retries) means the API is down
// or refuses us: stop instead of spending the rest of the run on the same error.
export const MAX_FAILED_CALLS_IN_A_ROW = 5;

export interface CallHandlers {
  /** Answers of one call, in request order (per-item failures included). */
  onAnswer(batch: FeeRequestItem[], outcomes: ItemOutcome[]): Promise<void>;
  /** A whole call failed (after retries): every item of it failed with this code and message. */
  onCallFailed(batch: FeeRequestItem[], code: string, message: string): void;
}

function codeOf(err: unknown): string {
  if (!isHttpClientError(err)) return 'CallFailed';
  return err.reason === 'status' ? `HTTP ${err.status}` : err.reason;
}

const isCredentialError = (err: unknown) =>
  isAppError(err) && (err.kind === 'unauthorized' || err.kind === 'forbidden');

/**
 * Sends the batches through the source, `source.concurrency` at a time (the HTTP client paces
 * them). A failed call is a partial failure; refused credentials, MAX_FAILED_CALLS_IN_A_ROW failed
 * calls in a row, no call succeeding at all, or a failing handler (the database) stop the run:
 * the calls in flight are aborted and counted as failed, and the error is returned.
 */
export async function callAll(
  source: FeeSource,
  batches: FeeRequestItem[][],
  h: CallHandlers,
): Promise<unknown> {
  const abort = new AbortController();
  let fatal: unknown;
  let next = 0;
  let failedInARow = 0;
  let answered = 0;
  let lastError: unknown;

  async function call(batch: FeeRequestItem[]) {
    let outcomes: ItemOutcome[];
    try {
      outcomes = await source.estimate(batch, abort.signal);
    } catch (err) {
      if (fatal !== undefined) {
        h.onCallFailed(batch, 'Aborted', 'the run stopped before this call finished');
        return;
      }
      h.onCallFailed(batch, codeOf(err), messageOf(err));
      lastError = err;
      if (isCredentialError(err)) throw err;
      if (++failedInARow >= MAX_FAILED_CALLS_IN_A_ROW) {
        throw new AppError(
          'upstream',
          `fees: giving up after ${failedInARow} failed calls in a row: ${messageOf(err)}`,
        );
      }
      return;
    }
    failedInARow = 0;
    answered++;
    await h.onAnswer(batch, outcomes);
  }
  async function worker() {
    try {
      while (fatal === undefined && next < batches.length) await call(batches[next++]!);
    } catch (err) {
      fatal ??= err;
      abort.abort();
    }
  }
  await Promise.all(Array.from({ length: Math.min(source.concurrency, batches.length) }, worker));
  if (fatal === undefined && batches.length > 0 && answered === 0) {
    fatal = new AppError('upstream', `fees: no call succeeded: ${messageOf(lastError)}`);
  }
  return fatal;
}
