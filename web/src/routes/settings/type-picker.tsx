import { useId } from 'react';
import { SYSTEM_ALERT_TYPES } from '../../api/alerts.ts';
import { TASK_TYPES } from '../inbox/search.ts';
import { typeWords } from '../inbox/words.ts';

const SYSTEM_WORDS: Record<string, string> = {
  spapi_credentials: 'SP-API credentials (system)',
  queue_backlog: 'Job queue backlog (system)',
};
export const ALERT_TYPE_CHOICES = [...TASK_TYPES, ...SYSTEM_ALERT_TYPES].map((value) => ({
  value,
  label: SYSTEM_WORDS[value] ?? typeWords(value),
}));

/** What a destination hears about: every type (null), or the ticked ones. */
export function TypePicker({
  value,
  onChange,
  legend = 'Task types',
  disabled,
}: {
  value: string[] | null;
  onChange: (v: string[] | null) => void;
  legend?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const all = value === null;
  return (
    <fieldset disabled={disabled} className="min-w-0">
      <legend className="label">{legend}</legend>
      <label className="flex items-center gap-1.5 text-sm">
        <input
          type="checkbox"
          checked={all}
          onChange={(e) => onChange(e.target.checked ? null : [])}
          aria-controls={all ? undefined : id}
        />
        Every type
      </label>
      {all ? null : (
        <div id={id} className="mt-1 grid grid-cols-1 gap-x-4 gap-y-0.5 text-sm sm:grid-cols-2">
          {ALERT_TYPE_CHOICES.map((c) => (
            <label key={c.value} className="flex items-center gap-1.5">
              <input
                type="checkbox"
                checked={value.includes(c.value)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...value, c.value] : value.filter((v) => v !== c.value))
                }
              />
              {c.label}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
