import type { ReactNode } from 'react';

/** One option of an upload form: a checkbox, its name and, under it, what it does. */
export function CheckOption(props: {
  checked: boolean;
  onChange: (v: boolean) => void;
  title: string;
  children: ReactNode;
}) {
  return (
    <label className="flex items-start gap-2">
      <input
        type="checkbox"
        className="mt-0.5"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span>
        <span className="font-medium">{props.title}</span>
        <span className="block text-xs text-slate-600">{props.children}</span>
      </span>
    </label>
  );
}
