import * as Popover from '@radix-ui/react-popover';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { vendorsQuery } from '../../api/vendors.ts';
import { FLAG_WORDS, ROI_FLAGS, type RoiFlag } from '../../lib/flags.ts';
import { DECISION_FILTERS, hasFilters, type RoiSearch, SEARCH_MAX } from '../../lib/roi-search.ts';

type Patch = Partial<Record<keyof RoiSearch, unknown>>;

/** A text or number box that commits on Enter or when it loses focus (not on every keystroke). */
function CommitInput({
  label,
  value,
  onCommit,
  type = 'text',
  width = 'w-24',
  placeholder,
  maxLength,
  debounceMs,
}: {
  label: string;
  value: string | number | undefined;
  onCommit: (v: string) => void;
  type?: 'text' | 'number' | 'search';
  width?: string;
  placeholder?: string;
  maxLength?: number;
  /** Also commit this long after the last keystroke (search boxes). */
  debounceMs?: number;
}) {
  const id = useId();
  const external = value === undefined ? '' : String(value);
  const [text, setText] = useState(external);
  // the URL changed under us (back button, saved view): show its value
  useEffect(() => setText(external), [external]);
  useEffect(() => {
    if (!debounceMs || text === external) return;
    const t = setTimeout(() => onCommit(text), debounceMs);
    return () => clearTimeout(t);
  }, [text, external, debounceMs, onCommit]);
  const commit = () => {
    if (text !== external) onCommit(text);
  };
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        type={type}
        inputMode={type === 'number' ? 'decimal' : undefined}
        step="any"
        className={`input ${width}`}
        value={text}
        placeholder={placeholder}
        maxLength={maxLength}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </div>
  );
}

function FlagsFilter({ value, onChange }: { value: RoiFlag[]; onChange: (v: RoiFlag[]) => void }) {
  const summary = value.length === 0 ? 'Any' : value.map((f) => FLAG_WORDS[f]).join(', ');
  return (
    <div>
      <span className="label" id="flags-label">
        Flags
      </span>
      <Popover.Root>
        <Popover.Trigger
          className="input inline-flex max-w-56 items-center gap-1 text-left"
          aria-labelledby="flags-label flags-summary"
        >
          <span id="flags-summary" className="truncate">
            {summary}
          </span>
          <span aria-hidden>▾</span>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            aria-label="Flags filter"
            align="start"
            sideOffset={4}
            className="z-50 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg"
          >
            <fieldset>
              <legend className="mb-2 text-sm font-medium">Offers missing an input</legend>
              {ROI_FLAGS.map((f) => (
                <label key={f} className="flex items-center gap-2 py-0.5 text-sm">
                  <input
                    type="checkbox"
                    checked={value.includes(f)}
                    onChange={(e) =>
                      onChange(e.target.checked ? [...value, f] : value.filter((x) => x !== f))
                    }
                  />
                  {FLAG_WORDS[f]}
                </label>
              ))}
            </fieldset>
            <p className="mt-2 text-xs text-slate-600">
              A flag is an input AWA lacks, so it does not guess: flagged offers have no ROI.
            </p>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
    </div>
  );
}

const DECISION_LABELS: Record<string, string> = {
  approved: 'Approved',
  rejected: 'Rejected',
  observe: 'Observe',
  none: 'No decision yet',
};

export function RoiFilters({ search, onChange }: { search: RoiSearch; onChange: (patch: Patch) => void }) {
  const vendors = useQuery(vendorsQuery).data?.items ?? [];
  const num = (key: keyof RoiSearch) => (v: string) => onChange({ [key]: v.trim() === '' ? undefined : v });
  return (
    <search aria-label="Filters" className="mb-3 flex flex-wrap items-end gap-3">
      <CommitInput
        label="Search"
        type="search"
        width="w-56"
        placeholder="ASIN, SKU, title, brand"
        maxLength={SEARCH_MAX}
        value={search.search}
        debounceMs={400}
        onCommit={(v) => onChange({ search: v })}
      />
      <CommitInput label="ROI % from" type="number" value={search.roi_min} onCommit={num('roi_min')} />
      <CommitInput label="ROI % to" type="number" value={search.roi_max} onCommit={num('roi_max')} />
      <CommitInput
        label="Margin % from"
        type="number"
        value={search.margin_min}
        onCommit={num('margin_min')}
      />
      <CommitInput label="Margin % to" type="number" value={search.margin_max} onCommit={num('margin_max')} />
      <div>
        <label htmlFor="roi-vendor" className="label">
          Vendor
        </label>
        <select
          id="roi-vendor"
          className="input max-w-52"
          value={search.vendor ?? ''}
          onChange={(e) => onChange({ vendor: e.target.value })}
        >
          <option value="">All vendors</option>
          {vendors.map((v) => (
            <option key={v.id} value={String(v.id)}>
              {v.name}
            </option>
          ))}
          {search.vendor && !vendors.some((v) => String(v.id) === search.vendor) ? (
            <option value={search.vendor}>{search.vendor}</option>
          ) : null}
        </select>
      </div>
      <CommitInput
        label="Category"
        width="w-36"
        value={search.category}
        onCommit={(v) => onChange({ category: v })}
      />
      <FlagsFilter value={search.flags ?? []} onChange={(flags) => onChange({ flags })} />
      <div>
        <label htmlFor="roi-status" className="label">
          Decision
        </label>
        <select
          id="roi-status"
          className="input"
          value={search.status ?? ''}
          onChange={(e) => onChange({ status: e.target.value })}
        >
          <option value="">Any</option>
          {DECISION_FILTERS.map((d) => (
            <option key={d} value={d}>
              {DECISION_LABELS[d]}
            </option>
          ))}
        </select>
      </div>
      <label className="flex items-center gap-1.5 pb-1.5 text-sm">
        <input
          type="checkbox"
          checked={search.best_only !== false}
          onChange={(e) => onChange({ best_only: e.target.checked })}
        />
        Best offer per ASIN only
      </label>
      {hasFilters(search) ? (
        <button
          type="button"
          className="btn btn-secondary mb-px"
          onClick={() =>
            onChange({
              search: undefined,
              roi_min: undefined,
              roi_max: undefined,
              margin_min: undefined,
              margin_max: undefined,
              vendor: undefined,
              category: undefined,
              flags: undefined,
              status: undefined,
              best_only: undefined,
            })
          }
        >
          Clear filters
        </button>
      ) : null}
    </search>
  );
}
