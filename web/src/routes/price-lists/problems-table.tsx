import { useState } from 'react';
import { csvFileName, downloadCsv, toCsv } from '../../lib/csv.ts';
import { formatInt } from '../../lib/format.ts';
import type { Problem } from '../../lib/upload-machine.ts';

const SHOWN = 200;

/** A rejected file's problems: line, column, value, reason — and all of them as a CSV (UI.md: errors a person can fix). */
export function ProblemsTable({
  problems,
  truncated,
  fileName,
  locale,
}: {
  problems: Problem[];
  truncated: boolean;
  fileName?: string;
  locale: string;
}) {
  const [all, setAll] = useState(false);
  if (problems.length === 0) return null;
  const rows = all ? problems : problems.slice(0, SHOWN);
  const download = () =>
    downloadCsv(
      toCsv(
        ['line', 'column', 'value', 'reason'],
        problems.map((p) => [p.line, p.column, p.value, p.reason]),
      ),
      csvFileName('problems', fileName),
    );
  return (
    <div className="mt-3">
      <div className="mb-1 flex flex-wrap items-center gap-3">
        <h3 className="text-sm font-semibold">
          {formatInt(problems.length, locale)} problem{problems.length === 1 ? '' : 's'}
          {truncated ? ' (the first ones; the server stopped listing)' : ''}
        </h3>
        <button type="button" className="btn btn-secondary py-0.5" onClick={download}>
          Download CSV
        </button>
      </div>
      <section
        className="max-h-96 overflow-auto rounded border border-slate-200 bg-white"
        aria-label="Problems"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        tabIndex={0}
      >
        <table className="w-full text-sm">
          <caption className="sr-only">Problems found in the file, by line</caption>
          <thead className="sticky top-0 bg-slate-100 text-left text-xs text-slate-700">
            <tr>
              <th scope="col" className="num px-2 py-1.5">
                Line
              </th>
              <th scope="col" className="px-2 py-1.5">
                Column
              </th>
              <th scope="col" className="px-2 py-1.5">
                Value
              </th>
              <th scope="col" className="px-2 py-1.5">
                Reason
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p, i) => (
              // the same line can have several problems: the position keeps keys unique
              // biome-ignore lint/suspicious/noArrayIndexKey: rows never reorder
              <tr key={i} className="border-t border-slate-100 align-top">
                <td className="num px-2 py-1">{p.line === null ? 'file' : formatInt(p.line, locale)}</td>
                <td className="px-2 py-1">{p.column || '—'}</td>
                <td className="px-2 py-1 font-mono text-xs break-all">
                  {p.value === '' ? <em>empty</em> : p.value}
                </td>
                <td className="px-2 py-1">{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {problems.length > SHOWN && !all ? (
        <button type="button" className="btn btn-secondary mt-1 py-0.5" onClick={() => setAll(true)}>
          Show all {formatInt(problems.length, locale)}
        </button>
      ) : null}
    </div>
  );
}
