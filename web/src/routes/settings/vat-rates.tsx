import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useLocale } from '../../api/session.ts';
import { type ReducedVatRate, vatApi, vatQuery } from '../../api/settings.ts';
import { formatNumber } from '../../lib/format.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { type DataColumn, DataTable } from '../../ui/data-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Section } from '../../ui/section.tsx';
import { Empty, ErrorState, InlineError, Loading } from '../../ui/states.tsx';

/** The fields a refused save names (`details` is a list of {field, value, reason}). */
function badFields(error: unknown): Set<string> {
  const d = error instanceof ApiError ? error.details : undefined;
  return new Set(Array.isArray(d) ? d.map((p: { field?: string }) => p.field ?? '') : []);
}

type Draft = { scope: string; key: string; pct: string; note: string };

/** Reduced VAT rates per category or ASIN: the one group of these settings kept in the database. */
export function VatRates() {
  const id = useId();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const vat = useQuery(vatQuery);
  const [draft, setDraft] = useState<Draft>({ scope: 'category', key: '', pct: '', note: '' });
  const [preview, setPreview] = useState<{ inserted: number; updated: number } | null>(null);
  const [removing, setRemoving] = useState<ReducedVatRate | null>(null);
  const refresh = () =>
    void queryClient
      .invalidateQueries({ queryKey: ['vat'] })
      .then(() => queryClient.invalidateQueries({ queryKey: ['settings'] }));

  const rate = () => {
    const n = Number(draft.pct.replace(',', '.'));
    return {
      scope: draft.scope,
      key: draft.key,
      rate: Number.isFinite(n) ? String(n / 100) : draft.pct,
      note: draft.note || null,
    };
  };
  const check = useMutation({ mutationFn: () => vatApi.save(rate(), true), onSuccess: (r) => setPreview(r) });
  const save = useMutation({
    mutationFn: () => vatApi.save(rate(), false),
    onSuccess: () => {
      setPreview(null);
      setDraft({ scope: draft.scope, key: '', pct: '', note: '' });
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (r: ReducedVatRate) => vatApi.remove(r.scope, r.key),
    onSuccess: () => {
      setRemoving(null);
      refresh();
    },
  });
  const bad = badFields(check.error ?? save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    check.mutate();
  };

  const columns: DataColumn<ReducedVatRate>[] = [
    { id: 'scope', header: 'Applies to', cell: (r) => (r.scope === 'asin' ? 'ASIN' : 'Category') },
    { id: 'key', header: 'Category or ASIN', cell: (r) => r.key, width: 260 },
    {
      id: 'rate',
      header: 'VAT %',
      numeric: true,
      cell: (r) => formatNumber(Number(r.rate) * 100, locale, 2),
    },
    { id: 'note', header: 'Note', cell: (r) => r.note ?? '' },
    { id: 'updated', header: 'Changed', cell: (r) => <RelativeTime value={r.updated_at} /> },
    {
      id: 'actions',
      header: 'Actions',
      cell: (r) => (
        <button type="button" className="btn btn-secondary py-0.5" onClick={() => setRemoving(r)}>
          Remove<span className="sr-only"> {r.key}</span>
        </button>
      ),
    },
  ];

  return (
    <Section
      title="Reduced VAT rates"
      description="Kept in the database and changed here: a category's or an ASIN's own rate wins over the standard rate. ROI is recomputed on save."
    >
      <form
        aria-label="Add a reduced VAT rate"
        onSubmit={submit}
        className="mb-3 flex flex-wrap items-end gap-3"
        noValidate
      >
        <div>
          <label htmlFor={`${id}-scope`} className="label">
            Applies to
          </label>
          <select
            id={`${id}-scope`}
            className="input"
            value={draft.scope}
            onChange={(e) => setDraft({ ...draft, scope: e.target.value })}
          >
            <option value="category">Category</option>
            <option value="asin">ASIN</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-key`} className="label">
            {draft.scope === 'asin' ? 'ASIN' : 'Category'}
          </label>
          <input
            id={`${id}-key`}
            className="input w-56"
            value={draft.key}
            aria-invalid={bad.has('key') || undefined}
            onChange={(e) => setDraft({ ...draft, key: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={`${id}-pct`} className="label">
            VAT %
          </label>
          <input
            id={`${id}-pct`}
            inputMode="decimal"
            className="input w-20"
            value={draft.pct}
            aria-invalid={bad.has('rate') || undefined}
            onChange={(e) => setDraft({ ...draft, pct: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={`${id}-note`} className="label">
            Note (optional)
          </label>
          <input
            id={`${id}-note`}
            className="input w-48"
            value={draft.note}
            maxLength={500}
            onChange={(e) => setDraft({ ...draft, note: e.target.value })}
          />
        </div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={check.isPending || !draft.key.trim() || !draft.pct.trim()}
        >
          Check (dry run)
        </button>
        {check.error ? (
          <div className="basis-full">
            <InlineError error={check.error} />
          </div>
        ) : null}
      </form>
      {vat.isPending ? (
        <Loading label="Loading VAT rates…" />
      ) : vat.error ? (
        <ErrorState
          error={vat.error}
          title="The VAT rates could not be loaded"
          onRetry={() => void vat.refetch()}
        />
      ) : (
        <DataTable
          columns={columns}
          rows={vat.data.reduced}
          rowKey={(r) => `${r.scope}|${r.key}`}
          caption="Reduced VAT rates"
          maxHeight="20rem"
          empty={<Empty title="No reduced rates">Every product uses the standard rate.</Empty>}
        />
      )}
      <ConfirmDialog
        open={Boolean(preview)}
        onOpenChange={(o) => !o && setPreview(null)}
        title="Save reduced VAT rate"
        confirmLabel="Save and recompute ROI"
        busy={save.isPending}
        error={save.error}
        onConfirm={() => save.mutate()}
      >
        <p>
          Dry run: {preview?.inserted ? 'adds' : preview?.updated ? 'changes' : 'leaves unchanged'} the rate
          for {draft.scope} “{draft.key}” ({draft.pct} %). Saving recomputes ROI for every offer.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={Boolean(removing)}
        onOpenChange={(o) => !o && setRemoving(null)}
        title="Remove reduced VAT rate"
        confirmLabel="Remove"
        danger
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        <p>
          {removing?.scope} “{removing?.key}” goes back to the standard rate; ROI is recomputed.
        </p>
      </ConfirmDialog>
    </Section>
  );
}
