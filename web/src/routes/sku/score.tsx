import { useLocale } from '../../api/session.ts';
import { DASH, formatNumber, formatPct, toNumber } from '../../lib/format.ts';
import { COMPONENT_NAMES } from '../../lib/scores-search.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { ScoreComponentsHead } from '../../ui/score-components-head.tsx';
import type { Score } from './types.ts';

// SPEC §7's default weights, used only when the server does not send the ones it scored with
const DEFAULT_WEIGHTS: Record<string, number> = {
  profitability: 0.35,
  demand: 0.25,
  competition: 0.15,
  stability: 0.15,
  returns: 0.1,
};

/** The score and each component with the one-line explanation it was stored with. */
export function ScorePanel({ score }: { score: Score | null | undefined }) {
  const locale = useLocale();
  if (!score || toNumber(score.score) === null) {
    return <p className="text-sm text-slate-600">Not scored yet: the scoring agent runs nightly.</p>;
  }
  const components = Object.entries(score.components ?? {});
  const weights = score.weights ?? DEFAULT_WEIGHTS;
  return (
    <div>
      <p className="text-sm">
        <span className="text-2xl font-semibold tabular-nums">{formatNumber(score.score, locale, 1)}</span>
        <span className="text-slate-600"> / 100</span>
        <span className="ml-3 text-slate-600">
          confidence {formatPct((toNumber(score.confidence) ?? 0) * 100, locale, 0)} · scored{' '}
          <RelativeTime value={score.scored_at} />
        </span>
      </p>
      <table className="mt-2 w-full text-sm">
        <caption className="sr-only">Score components</caption>
        <ScoreComponentsHead />
        <tbody>
          {components.map(([key, raw]) => {
            const v = toNumber(raw);
            const w = toNumber(weights[key]);
            return (
              <tr key={key} className="border-t border-slate-100">
                <th scope="row" className="px-2 py-1 text-left font-medium">
                  {COMPONENT_NAMES[key] ?? key}
                </th>
                <td className="num px-2 py-1">{w === null ? DASH : formatPct(w * 100, locale, 0)}</td>
                <td className="num px-2 py-1">
                  <span className="inline-flex items-center gap-2">
                    <span aria-hidden className="inline-block h-1.5 w-16 rounded bg-slate-200">
                      <span
                        className="block h-1.5 rounded bg-slate-700"
                        style={{ width: `${Math.round(Math.min(1, Math.max(0, v ?? 0)) * 100)}%` }}
                      />
                    </span>
                    {v === null ? (
                      <span title="input missing: lowers the confidence">missing</span>
                    ) : (
                      formatNumber(v, locale, 2)
                    )}
                  </span>
                </td>
                <td className="px-2 py-1 text-xs text-slate-700">{score.explanation?.[key] ?? DASH}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
