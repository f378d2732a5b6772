import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useMemo, useState } from 'react';
import { rulesCsvHref, rulesQuery, type StoredRule, saveRules } from '../../api/repricer.ts';
import { hasRole, useCurrency, useLocale, useMe } from '../../api/session.ts';
import { currencySymbol } from '../../lib/format.ts';
import { draftOf, emptyDraft, planSave, type RuleDraft, sameDraft } from '../../lib/repricer-rules.ts';
import { type RepricerSearch, updateRepricerSearch } from '../../lib/repricer-search.ts';
import { Pager } from '../../ui/pager.tsx';
import { Empty, ErrorState, InlineError, Loading } from '../../ui/states.tsx';
import { route } from './route.tsx';
import { MONEY_FIELDS, RuleRow } from './rule-row.tsx';
import { RulesImport } from './rules-import.tsx';
import { SkuFilter } from './sku-filter.tsx';

interface Edit {
  key: string;
  draft: RuleDraft;
  isNew: boolean;
}

export function RulesTab() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const setSearch = (patch: Partial<Record<keyof RepricerSearch, unknown>>) =>
    void navigate({ search: (prev: RepricerSearch) => updateRepricerSearch(prev, patch) });
  const queryClient = useQueryClient();
  const me = useMe();
  const locale = useLocale();
  const canEdit = hasRole(me.role, 'ops');
  const symbol = currencySymbol(useCurrency(), locale);
  const unit = symbol ? ` ${symbol}` : '';
  const result = useQuery(rulesQuery(search));
  const [edits, setEdits] = useState<Map<string, Edit>>(new Map());
  const [added, setAdded] = useState(0);
  const [refusals, setRefusals] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const rules = result.data?.items ?? [];
  const newRows = useMemo(() => [...edits.values()].filter((e) => e.isNew), [edits]);
  const rows: { key: string; draft: RuleDraft; stored?: StoredRule; isNew: boolean }[] = [
    ...newRows.map((e) => ({ key: e.key, draft: e.draft, isNew: true })),
    ...rules.map((r) => ({
      key: r.sku,
      draft: edits.get(r.sku)?.draft ?? draftOf(r),
      stored: r,
      isNew: false,
    })),
  ];

  const change = (key: string, stored: StoredRule | undefined, isNew: boolean, patch: Partial<RuleDraft>) => {
    setRefusals([]);
    setNotice(null);
    setEdits((prev) => {
      const next = new Map(prev);
      const base = prev.get(key)?.draft ?? (stored ? draftOf(stored) : emptyDraft());
      const draft = { ...base, ...patch };
      if (stored && sameDraft(draft, draftOf(stored))) next.delete(key);
      else next.set(key, { key, draft, isNew });
      return next;
    });
  };

  async function save() {
    const plan = planSave([...edits.values()]);
    setError(null);
    if (plan.refusals.length > 0) {
      setRefusals(plan.refusals);
      return;
    }
    setBusy(true);
    try {
      const r = await saveRules(plan.rules);
      setEdits(new Map());
      setNotice(`Saved: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged.`);
      await queryClient.invalidateQueries({ queryKey: ['repricer'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  let body: ReactNode;
  if (result.isPending) body = <Loading label="Loading rules…" />;
  else if (result.error && !result.data)
    body = (
      <ErrorState
        error={result.error}
        title="The rules could not be loaded"
        onRetry={() => void result.refetch()}
      />
    );
  else if (rows.length === 0)
    body = (
      <Empty title={search.sku ? 'No rule for SKUs starting with this' : 'No repricer rules yet'}>
        A listing without a rule is repriced with the default: beat the buy box by one cent, within its floor.
      </Empty>
    );
  else
    body = (
      <div className={`card overflow-auto ${result.isPlaceholderData ? 'opacity-70' : ''}`}>
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Repricer rules by SKU</caption>
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              <th scope="col" className="px-2 py-2 text-left">
                SKU
              </th>
              {MONEY_FIELDS.map(([f, h]) => (
                <th key={f} scope="col" className="num px-2 py-2">
                  {h}
                  {unit}
                </th>
              ))}
              <th scope="col" className="px-2 py-2 text-left">
                Strategy
              </th>
              <th scope="col" className="num px-2 py-2" title="How far below the buy box beat_buybox goes">
                Step{unit}
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Enabled
              </th>
              <th scope="col" className="px-2 py-2 text-left">
                Updated
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, draft, stored, isNew }) => (
              <RuleRow
                key={key}
                rowKey={key}
                draft={draft}
                stored={stored}
                isNew={isNew}
                dirty={edits.has(key)}
                canEdit={canEdit}
                onChange={(patch) => change(key, stored, isNew, patch)}
              />
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <SkuFilter label="SKU starts with" value={search.sku} onCommit={(sku) => setSearch({ sku })} />
        <div className="ml-auto flex flex-wrap items-center gap-2">
          {canEdit ? (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => {
                const key = `new-${added + 1}`;
                setAdded(added + 1);
                setEdits(new Map(edits).set(key, { key, draft: emptyDraft(), isNew: true }));
              }}
            >
              Add rule
            </button>
          ) : null}
          <a className="btn btn-secondary" href={rulesCsvHref(search)} download>
            Download CSV
          </a>
        </div>
      </div>
      {canEdit ? <RulesImport /> : null}
      {canEdit && (edits.size > 0 || notice || refusals.length > 0 || error) ? (
        <div className="mb-2 flex flex-wrap items-center gap-2 text-sm" aria-live="polite">
          {edits.size > 0 ? (
            <>
              <span className="font-medium">
                {edits.size} unsaved change{edits.size === 1 ? '' : 's'}
              </span>
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>
                {busy ? 'Saving…' : 'Save rules'}
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                disabled={busy}
                onClick={() => {
                  setEdits(new Map());
                  setRefusals([]);
                }}
              >
                Discard
              </button>
            </>
          ) : null}
          {notice ? (
            <span role="status" className="rounded bg-green-50 px-2 py-1 text-green-900">
              {notice}
            </span>
          ) : null}
        </div>
      ) : null}
      {refusals.length > 0 ? (
        <div
          role="alert"
          className="mb-2 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
        >
          <p className="font-medium">Not saved: fix the marked fields first (nothing was saved).</p>
          <ul className="mt-1 list-disc pl-5">
            {refusals.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {error ? (
        <div className="mb-2">
          <InlineError error={error} />
        </div>
      ) : null}
      {body}
      {result.data ? (
        <Pager
          page={search.page ?? 1}
          pageSize={search.page_size ?? 50}
          total={result.data.total}
          onPage={(page) => setSearch({ page })}
          onPageSize={(page_size) => setSearch({ page_size })}
        />
      ) : null}
    </>
  );
}
