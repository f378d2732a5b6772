import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { importRules, type RulesImported } from '../../api/repricer.ts';
import { useLocale, useMe } from '../../api/session.ts';
import type { Problem } from '../../lib/upload-machine.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { InlineError } from '../../ui/states.tsx';
import { ProblemsTable } from '../price-lists/problems-table.tsx';

/** The server's rejections (`details.rejections` of a refused import), as the problems table shows them. */
function problemsOf(err: unknown): Problem[] | null {
  if (!(err instanceof ApiError)) return null;
  const list = (err.details as { rejections?: unknown } | undefined)?.rejections;
  if (!Array.isArray(list)) return null;
  return list.map((p: { line?: number; column?: string; value?: string; reason?: string }) => ({
    line: p.line ?? null,
    column: p.column ?? '',
    value: p.value ?? '',
    reason: p.reason ?? '',
  }));
}

/**
 * Import a rules file: a dry run first (every row checked against the database, nothing saved),
 * then a confirm naming the count. All rows or none: one bad row refuses the file, and every
 * problem is listed by line and column.
 */
export function RulesImport() {
  const id = useId();
  const me = useMe();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<RulesImported | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function check(f: File) {
    setBusy(true);
    setError(null);
    setPreview(null);
    setDone(null);
    try {
      setPreview(await importRules(f, true, me.csrf_token ?? null));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!file) return;
    setBusy(true);
    try {
      const r = await importRules(file, false, me.csrf_token ?? null);
      setDone(
        `Imported ${r.rules} rules from ${r.file}: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged.`,
      );
      setPreview(null);
      setFile(null);
      await queryClient.invalidateQueries({ queryKey: ['repricer'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const problems = problemsOf(error);
  return (
    <details className="mb-3 rounded border border-slate-200 bg-white p-2 text-sm">
      <summary className="cursor-pointer font-medium">Import rules from a file (CSV, TSV or XLSX)</summary>
      <p className="mt-1 text-slate-600">
        Columns: sku, min_price, max_price, map_price, strategy, step, enabled — the download above is a
        template. All rows or none: a file with a problem changes nothing.
      </p>
      <div className="mt-2 flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={id} className="label">
            Rules file
          </label>
          <input
            id={id}
            type="file"
            accept=".csv,.tsv,.txt,.xlsx"
            className="text-sm"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              setError(null);
              setPreview(null);
              if (f) void check(f);
            }}
          />
        </div>
        {busy ? <span aria-live="polite">Checking…</span> : null}
      </div>
      {done ? (
        <p role="status" className="mt-2 rounded bg-green-50 px-2 py-1 text-green-900">
          {done}
        </p>
      ) : null}
      {problems ? (
        <>
          <p role="alert" className="mt-2 text-red-900">
            {error instanceof Error ? error.message.split('\n')[0] : ''}
          </p>
          <ProblemsTable problems={problems} truncated={false} fileName={file?.name} locale={locale} />
        </>
      ) : error ? (
        <div className="mt-2">
          <InlineError error={error} />
        </div>
      ) : null}
      <ConfirmDialog
        open={preview !== null}
        onOpenChange={(o) => {
          if (!o) setPreview(null);
        }}
        title={preview ? `Import ${preview.rules} rule${preview.rules === 1 ? '' : 's'}?` : ''}
        confirmLabel={preview ? `Import ${preview.rules} rules` : ''}
        onConfirm={() => void confirm()}
        busy={busy}
        error={problems ? null : error}
      >
        {preview ? (
          <>
            <p>
              Dry run of <strong>{preview.file}</strong> ({preview.rows} rows): {preview.inserted} new,{' '}
              {preview.updated} changed, {preview.unchanged} unchanged. Nothing has been saved yet.
            </p>
            <p>Each rule in the file replaces the stored rule of its SKU whole.</p>
          </>
        ) : null}
      </ConfirmDialog>
    </details>
  );
}
