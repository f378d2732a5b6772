import type { StoredRule } from '../../api/repricer.ts';
import {
  type DraftField,
  problemOf,
  type RuleDraft,
  type RuleProblem,
  STRATEGIES,
  STRATEGY_WORDS,
  validateRuleDraft,
} from '../../lib/repricer-rules.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';

export const MONEY_FIELDS = [
  ['min_price', 'Min'],
  ['max_price', 'Max'],
  ['map_price', 'MAP'],
] as const;

function FieldInput({
  rowKey,
  field,
  label,
  value,
  problem,
  onChange,
  width = 'w-24',
  mono,
}: {
  rowKey: string;
  field: DraftField;
  label: string;
  value: string;
  problem: RuleProblem | undefined;
  onChange: (v: string) => void;
  width?: string;
  mono?: boolean;
}) {
  const id = `rule-${rowKey}-${field}`;
  return (
    <div>
      <input
        id={id}
        className={`input ${width} ${mono ? 'font-mono text-xs' : 'text-right tabular-nums'} ${problem ? 'border-red-600 ring-1 ring-red-600' : ''}`}
        inputMode={mono ? undefined : 'decimal'}
        aria-label={label}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem ? (
        <p id={`${id}-error`} className="mt-0.5 max-w-48 text-xs whitespace-normal text-red-800">
          {problem.reason}
        </p>
      ) : null}
    </div>
  );
}

/** One rule of the rules table: inputs checked as you type for ops, plain text for viewers. */
export function RuleRow({
  rowKey,
  draft,
  stored,
  isNew,
  dirty,
  canEdit,
  onChange,
}: {
  rowKey: string;
  draft: RuleDraft;
  stored: StoredRule | undefined;
  isNew: boolean;
  /** Changed here and not saved yet. */
  dirty: boolean;
  canEdit: boolean;
  onChange: (patch: Partial<RuleDraft>) => void;
}) {
  const problems = validateRuleDraft(draft).problems;
  const name = draft.sku || 'new rule';
  const key = rowKey;
  return (
    <tr className={`border-b border-slate-100 align-top ${dirty ? 'bg-amber-50/60' : ''}`}>
      <th scope="row" className="px-2 py-1 text-left font-normal">
        {isNew && canEdit ? (
          <FieldInput
            rowKey={key}
            field="sku"
            label="SKU of the new rule"
            value={draft.sku}
            problem={problemOf(problems, 'sku')}
            onChange={(v) => onChange({ sku: v })}
            width="w-40"
            mono
          />
        ) : (
          <span className="font-mono text-xs">
            {draft.sku}
            {dirty ? <span className="ml-1 text-amber-800">(edited)</span> : null}
          </span>
        )}
      </th>
      {MONEY_FIELDS.map(([f, h]) => (
        <td key={f} className="num px-2 py-1">
          {canEdit ? (
            <FieldInput
              rowKey={key}
              field={f}
              label={`${h} price of ${name}`}
              value={draft[f]}
              problem={problemOf(problems, f)}
              onChange={(v) => onChange({ [f]: v })}
            />
          ) : (
            draft[f] || '—'
          )}
        </td>
      ))}
      <td className="px-2 py-1">
        {canEdit ? (
          <select
            className="input"
            aria-label={`Strategy of ${name}`}
            value={draft.strategy}
            onChange={(e) => onChange({ strategy: e.target.value })}
          >
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_WORDS[s]}
              </option>
            ))}
          </select>
        ) : (
          (STRATEGY_WORDS[draft.strategy as keyof typeof STRATEGY_WORDS] ?? draft.strategy)
        )}
      </td>
      <td className="num px-2 py-1">
        {canEdit ? (
          <FieldInput
            rowKey={key}
            field="step"
            label={`Step of ${name}`}
            value={draft.step}
            problem={problemOf(problems, 'step')}
            onChange={(v) => onChange({ step: v })}
            width="w-20"
          />
        ) : (
          draft.step || '0.01'
        )}
      </td>
      <td className="px-2 py-1">
        <label className="inline-flex items-center gap-1.5 pt-1.5">
          <input
            type="checkbox"
            checked={draft.enabled}
            disabled={!canEdit}
            onChange={(e) => onChange({ enabled: e.target.checked })}
          />
          <span>{draft.enabled ? 'on' : 'off'}</span>
          <span className="sr-only">repricing of {name}</span>
        </label>
      </td>
      <td className="px-2 py-1 pt-2.5 text-slate-600">
        {stored ? <RelativeTime value={stored.updated_at} /> : 'new'}
        {stored?.updated_by ? <span className="ml-1 text-xs">by {stored.updated_by}</span> : null}
      </td>
    </tr>
  );
}
