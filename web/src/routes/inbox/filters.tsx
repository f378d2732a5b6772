import { useId } from 'react';
import type { Severity } from '../../api/tasks.ts';
import { type Group, hasFilters, type InboxSearch, SEVERITIES, TASK_TYPES } from './search.ts';
import { STATE_CHOICES, TYPE_WORDS } from './words.ts';

type Patch = Partial<Record<keyof InboxSearch, unknown>>;

/** Group by type or vendor (a toggle), then the state, type and severity filters; all in the URL. */
export function InboxFilters({
  search,
  onChange,
  vendorName,
  me,
}: {
  search: InboxSearch;
  onChange: (patch: Patch) => void;
  vendorName: (id: number) => string | undefined;
  /** The signed-in name tasks are assigned to. */
  me: string;
}) {
  const ids = { state: useId(), type: useId() };
  const group: Group = search.group ?? 'type';
  const state = (search.state ?? ['open']).join(',');
  const type = search.type?.join(',') ?? '';
  const stateChoices = STATE_CHOICES.some((c) => c.value === state)
    ? STATE_CHOICES
    : [...STATE_CHOICES, { value: state, label: state.replace(/,/g, ', ') }];
  const severities = search.severity ?? SEVERITIES;
  const toggle = (s: Severity, on: boolean) => {
    const next = SEVERITIES.filter((x) => (x === s ? on : severities.includes(x)));
    onChange({ severity: next.length === SEVERITIES.length ? undefined : next });
  };
  return (
    <search aria-label="Filters" className="mb-3 flex flex-wrap items-end gap-x-4 gap-y-2 text-sm">
      <fieldset>
        <legend className="label">Group by</legend>
        <div className="inline-flex overflow-hidden rounded-md border border-slate-400">
          {(['type', 'vendor'] as const).map((g) => (
            <button
              key={g}
              type="button"
              aria-pressed={group === g}
              className={`px-3 py-1 ${group === g ? 'bg-blue-700 text-white' : 'bg-white text-slate-800 hover:bg-slate-100'}`}
              onClick={() => onChange({ group: g === 'type' ? undefined : g })}
            >
              {g === 'type' ? 'Type' : 'Vendor'}
            </button>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor={ids.state} className="label">
          State
        </label>
        <select
          id={ids.state}
          className="input"
          value={state}
          onChange={(e) => onChange({ state: e.target.value })}
        >
          {stateChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={ids.type} className="label">
          Type
        </label>
        <select
          id={ids.type}
          className="input"
          value={type}
          onChange={(e) => onChange({ type: e.target.value || undefined })}
        >
          <option value="">Any type</option>
          {TASK_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_WORDS[t]}
            </option>
          ))}
          {type.includes(',') ? <option value={type}>{search.type!.length} types</option> : null}
        </select>
      </div>
      <fieldset className="flex flex-wrap items-center gap-x-3 pb-1.5">
        <legend className="label float-left mr-1">Severity</legend>
        {SEVERITIES.map((s) => (
          <label key={s} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={severities.includes(s)}
              onChange={(e) => toggle(s, e.target.checked)}
            />
            {s}
          </label>
        ))}
      </fieldset>
      <label className="flex items-center gap-1 pb-1.5">
        <input
          type="checkbox"
          checked={search.assignee === me}
          onChange={(e) => onChange({ assignee: e.target.checked ? me : undefined })}
        />
        Assigned to me
      </label>
      {search.assignee && search.assignee !== me ? (
        <span className="pb-1.5">
          Assigned to {search.assignee}{' '}
          <button type="button" className="link" onClick={() => onChange({ assignee: undefined })}>
            anyone
          </button>
        </span>
      ) : null}
      {search.vendor ? (
        <span className="pb-1.5">
          Vendor: {vendorName(search.vendor) ?? `#${search.vendor}`}{' '}
          <button type="button" className="link" onClick={() => onChange({ vendor: undefined })}>
            any vendor
          </button>
        </span>
      ) : null}
      {search.asin ? (
        <span className="pb-1.5">
          ASIN <span className="font-mono">{search.asin}</span>{' '}
          <button type="button" className="link" onClick={() => onChange({ asin: undefined })}>
            any ASIN
          </button>
        </span>
      ) : null}
      {hasFilters(search) ? (
        <button
          type="button"
          className="link pb-1.5"
          onClick={() =>
            onChange({
              state: undefined,
              type: undefined,
              severity: undefined,
              vendor: undefined,
              asin: undefined,
              assignee: undefined,
            })
          }
        >
          Clear filters
        </button>
      ) : null}
    </search>
  );
}
