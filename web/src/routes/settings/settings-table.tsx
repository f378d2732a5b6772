import { useLocale } from '../../api/session.ts';
import type { Setting } from '../../api/settings.ts';
import { formatSetting, howToChange, SOURCE_LABELS } from '../../lib/team-settings.ts';

/** One group of the effective configuration: value, where it comes from, how to change it. */
const SOURCE_STYLE: Record<string, string> = {
  environment: 'border-blue-300 bg-blue-50 text-blue-900',
  default: 'border-slate-300 bg-slate-50 text-slate-800',
  database: 'border-green-300 bg-green-50 text-green-900',
};

export function SettingsTable({ title, items }: { title: string; items: Setting[] }) {
  const locale = useLocale();
  return (
    <section aria-label={title} className="card p-3">
      <h2 className="mb-2 text-base font-semibold">{title}</h2>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{title} settings</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-700">
            <th scope="col" className="w-1/4 py-1 pr-2 font-semibold">
              Setting
            </th>
            <th scope="col" className="w-1/5 py-1 pr-2 font-semibold">
              Value
            </th>
            <th scope="col" className="py-1 pr-2 font-semibold">
              Source
            </th>
            <th scope="col" className="py-1 font-semibold">
              To change
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.key} className="border-b border-slate-100 align-top">
              <th scope="row" className="py-1.5 pr-2 text-left font-normal">
                <div className="font-medium text-slate-900">{s.label}</div>
                <div className="text-xs text-slate-600">{s.help}</div>
              </th>
              <td className={`py-1.5 pr-2 ${s.secret ? 'italic text-slate-700' : 'font-mono'}`}>
                {formatSetting(s, locale)}
              </td>
              <td className="py-1.5 pr-2">
                <span className={`rounded border px-1.5 py-0.5 text-xs ${SOURCE_STYLE[s.source] ?? ''}`}>
                  {SOURCE_LABELS[s.source] ?? s.source}
                </span>
              </td>
              <td className="py-1.5 text-xs text-slate-700">
                {s.variable ? <code className="font-mono">{s.variable}</code> : null}
                <div>{howToChange(s)}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
