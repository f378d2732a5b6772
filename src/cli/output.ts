import { writeFileSync } from 'node:fs';
import { AppError, fieldProblemOf, isAppError, messageOf } from '../platform/errors.ts';
import { csvField } from '../platform/tabular/csv-write.ts';

export interface OutputOptions {
  json?: boolean;
}

/** `--json`: exactly one JSON object on stdout; otherwise the human summary. */
export function print(opts: OutputOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}

/**
 * Runs a command body and turns any error into a clear message and a non-zero exit code. With
 * `--json` the error is also printed as `{"error":{code,message,details}}` for scripts.
 */
export async function runCommand(
  opts: OutputOptions,
  body: () => Promise<number | undefined>,
): Promise<void> {
  let code = 0;
  try {
    code = (await body()) ?? 0;
  } catch (err) {
    code = 1;
    const e = isAppError(err) ? err : new AppError('internal', messageOf(err));
    if (opts.json) {
      const out: { code: string; message: string; details?: unknown } = { code: e.kind, message: e.message };
      if (e.details !== undefined) out.details = e.details;
      process.stdout.write(`${JSON.stringify({ error: out })}\n`);
    }
    process.stderr.write(`error: ${cliMessage(e)}\n`);
  }
  process.exitCode = code;
}

/** A field error in the CLI's words: the field is the flag that gave it (`currency` → `--currency`). */
export function cliMessage(e: AppError): string {
  const p = fieldProblemOf(e);
  if (!p || !e.message.startsWith(`${p.field} `)) return e.message;
  return `--${p.field.replace(/_/g, '-')}${e.message.slice(p.field.length)}`;
}

/** Left-aligned columns for human listings. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export interface RowProblem {
  line: number;
  column: string;
  value: string;
  reason: string;
}

/** `--rejects FILE`: every problem as CSV (line,column,value,reason). */
export function writeRejects(file: string, problems: RowProblem[]): void {
  const lines = [
    'line,column,value,reason',
    ...problems.map((r) => [r.line, r.column, r.value, r.reason].map((v) => csvField(v)).join(',')),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** One indented line per problem: `line N, column C, value V: reason`. */
export function problemLines(problems: RowProblem[], truncated: boolean): string[] {
  const out = problems.map(
    (r) => `  line ${r.line}, column ${r.column}, value ${JSON.stringify(r.value)}: ${r.reason}`,
  );
  if (truncated) out.push(`  … more problems not listed (first ${problems.length} shown)`);
  return out;
}

/** A rows-read counter on stderr for interactive terminals (not with --json or when piped). */
export function progressLine(json: boolean): { onProgress?: (n: number) => void; done(): void } {
  if (!process.stderr.isTTY || json) return { done() {} };
  return {
    onProgress: (n) => process.stderr.write(`\rrows read: ${n.toLocaleString('en')}`),
    done: () => process.stderr.write('\r\x1b[K'),
  };
}
