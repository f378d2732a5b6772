import type { ScoreRow } from '../../api/scores.ts';
import { useLocale } from '../../api/session.ts';
import { formatNumber, formatPct } from '../../lib/format.ts';
import { COMPONENT_NAMES, scoreMath } from '../../lib/scores-search.ts';
import { ScoreComponentsHead } from '../../ui/score-components-head.tsx';

/** One score as its sum: each measured component × its weight, the missing ones named (UI.md "show the math"). */
export function ScoreMath({
  row,
  weights,
  onClose,
}: {
  row: ScoreRow;
  weights: Record<string, number>;
  onClose: () => void;
}) {
  const locale = useLocale();
  const components: Record<string, number | null> = row.components;
  const why: Record<string, string | undefined> = row.explanation;
  const m = scoreMath(components, weights);
  const n2 = (x: number) => formatNumber(x, locale, 2, true);
  return (
    <section aria-label={`Score of ${row.asin}`} className="card mt-3 p-4">
      <div className="flex items-start justify-between gap-3">
        <h2 className="text-base font-semibold">
          Score of <span className="font-mono">{row.asin}</span>
          {row.title ? <span className="ml-2 font-normal text-slate-600">{row.title}</span> : null}
        </h2>
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="mt-2 font-mono text-sm tabular-nums">
        100 × ({m.terms.map((t) => `${n2(t.weight)} × ${n2(t.value)}`).join(' + ') || '—'}) ÷{' '}
        {n2(m.measuredWeight)} = <strong>{formatNumber(row.score, locale, 2, true)}</strong>
      </p>
      <p className="mt-1 text-xs text-slate-600">
        Score = 100 × Σ (weight × component) ÷ the weights measured. Confidence{' '}
        {formatPct(row.confidence * 100, locale, 0)} = the share of the weights whose inputs were there
        {m.missing.length > 0
          ? `; not measured (left out, never counted as 0): ${m.missing.map((c) => COMPONENT_NAMES[c] ?? c).join(', ')}`
          : ''}
        . Weights are the ones in force now.
      </p>
      <table className="mt-3 w-full text-sm">
        <caption className="sr-only">Components of the score</caption>
        <ScoreComponentsHead points />
        <tbody>
          {Object.entries(weights).map(([c, w]) => {
            const v = components[c];
            const measured = v !== null && v !== undefined;
            return (
              <tr key={c} className="border-t border-slate-100">
                <th scope="row" className="px-2 py-1 text-left font-normal">
                  {COMPONENT_NAMES[c] ?? c}
                </th>
                <td className="num px-2 py-1">{formatPct(w * 100, locale, 0)}</td>
                <td className="num px-2 py-1">
                  {measured ? n2(v) : <span className="text-slate-600">not measured</span>}
                </td>
                <td className="num px-2 py-1">
                  {measured && m.measuredWeight > 0 ? n2((100 * w * v) / m.measuredWeight) : '—'}
                </td>
                <td className="px-2 py-1 text-slate-700">{why[c] ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
