/**
 * The header of a score's component table, shared by the SKU page and the scores page's math so the
 * two read alike; `points` adds the column of what each component adds to the score.
 */
export function ScoreComponentsHead({ points = false }: { points?: boolean }) {
  return (
    <thead className="text-left text-xs text-slate-600">
      <tr>
        <th scope="col" className="px-2 py-1">
          Component
        </th>
        <th scope="col" className="num px-2 py-1">
          Weight %
        </th>
        <th scope="col" className="num px-2 py-1">
          Value 0–1
        </th>
        {points ? (
          <th scope="col" className="num px-2 py-1">
            Points
          </th>
        ) : null}
        <th scope="col" className="px-2 py-1">
          Why
        </th>
      </tr>
    </thead>
  );
}
