import { useId } from 'react';
import type { Threshold } from '../../api/tasks.ts';
import { isSwitch, nameOf } from '../../lib/alert-thresholds.ts';
import { formatNumber } from '../../lib/format.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';

const fmt = (n: number, locale: string) => formatNumber(n, locale, 4);
/** A value as a person edits it: the locale's decimal mark, no thousands separators. */
const editable = (n: number, locale: string) =>
  new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 6 }).format(n);
const withUnit = (text: string, unit: string | null) => (unit ? `${text} ${unit}` : text);

/**
 * One threshold: its name and meaning, the default, and the value (a field for an admin, text for
 * anyone else). `draft` undefined: untouched; null: back to the default on save.
 */
export function ThresholdRow({
  t,
  locale,
  draft,
  error,
  canEdit,
  onChange,
}: {
  t: Threshold;
  locale: string;
  draft: string | null | undefined;
  error: string | undefined;
  canEdit: boolean;
  onChange: (draft: string | null) => void;
}) {
  const id = useId();
  const name = nameOf(t.key);
  const toggle = isSwitch(t.key);
  const resetting = draft === null;
  const shown = resetting ? t.default : t.value;
  const text = draft ?? editable(shown, locale);
  const changed = t.value !== t.default;
  const describedBy = `${id}-hint${error ? ` ${id}-error` : ''}`;
  return (
    <tr
      id={`threshold-${t.key}`}
      className="scroll-mt-16 border-b border-slate-100 align-top"
      data-threshold={t.key}
    >
      <th scope="row" className="py-1.5 pr-2 text-left font-normal">
        <label htmlFor={id} className="font-medium text-slate-900">
          {name}
        </label>{' '}
        <code className="font-mono text-xs text-slate-600">{t.key}</code>
        <div id={`${id}-hint`} className="text-xs text-slate-600">
          {t.description}
          {toggle ? '' : ` (${withUnit(`${fmt(t.min, locale)} to ${fmt(t.max, locale)}`, t.unit)}`}
          {toggle ? '' : t.integer ? ', whole numbers)' : ')'}
        </div>
      </th>
      <td className="py-1.5 pr-2 text-right tabular-nums text-slate-700">
        {toggle ? (t.default ? 'on' : 'off') : withUnit(fmt(t.default, locale), t.unit)}
      </td>
      <td className="py-1.5 pr-2">
        {!canEdit ? (
          <span id={id} className={`tabular-nums ${changed ? 'font-semibold' : ''}`}>
            {toggle ? (t.value ? 'on' : 'off') : withUnit(fmt(t.value, locale), t.unit)}
            {changed ? <span className="ml-1 text-xs font-normal text-slate-600">(changed)</span> : null}
          </span>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            {toggle ? (
              <input
                id={id}
                type="checkbox"
                className="size-4"
                checked={typeof draft === 'string' ? draft === '1' : shown === 1}
                aria-describedby={describedBy}
                onChange={(e) => onChange(e.target.checked ? '1' : '0')}
              />
            ) : (
              <span className="flex items-center gap-1">
                <input
                  id={id}
                  inputMode="decimal"
                  className={`input w-24 text-right tabular-nums ${draft !== undefined ? 'border-blue-600' : ''}`}
                  value={text}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy}
                  onChange={(e) => onChange(e.target.value)}
                />
                {t.unit ? <span className="text-slate-700">{t.unit}</span> : null}
              </span>
            )}
            {(changed && !resetting) || (draft !== undefined && draft !== null) ? (
              <button type="button" className="link text-xs" onClick={() => onChange(null)}>
                Reset<span className="sr-only"> {name} to its default</span>
              </button>
            ) : null}
            {resetting && changed ? <span className="text-xs text-blue-800">default on save</span> : null}
          </div>
        )}
        {error ? (
          <p id={`${id}-error`} className="mt-0.5 text-xs text-red-800">
            <span aria-hidden>✗ </span>
            {error}
          </p>
        ) : null}
        {changed && t.updated_by ? (
          <p className="mt-0.5 text-xs text-slate-600">
            by {t.updated_by}, <RelativeTime value={t.updated_at} />
          </p>
        ) : null}
      </td>
    </tr>
  );
}
