import * as Popover from '@radix-ui/react-popover';
import { useMemo, useState } from 'react';
import { loadHidden, saveHidden, toggleHidden } from '../lib/column-prefs.ts';

const storage = () => (typeof localStorage === 'undefined' ? undefined : localStorage);

/**
 * The columns a user hid in `table`, remembered in this browser, with the chooser's handlers: a
 * `locked` column never hides, and reset goes back to `defaults`.
 */
export function useHiddenColumns(
  table: string,
  columns: readonly { id: string }[],
  defaults: readonly string[],
  locked: readonly string[],
) {
  const known = useMemo(() => columns.map((c) => c.id), [columns]);
  const [hidden, setHidden] = useState<string[]>(() => loadHidden(storage(), table, known, defaults));
  const change = (next: string[]) => {
    setHidden(next);
    saveHidden(storage(), table, next);
  };
  return {
    hidden,
    onToggle: (id: string) => change(toggleHidden(hidden, id, locked)),
    onReset: () => change([...defaults]),
  };
}

/** Show or hide columns; the page remembers the choice (lib/column-prefs.ts). */
export function ColumnChooser({
  columns,
  hidden,
  locked = [],
  onToggle,
  onReset,
}: {
  columns: { id: string; header: string }[];
  hidden: readonly string[];
  locked?: readonly string[];
  onToggle: (id: string) => void;
  onReset?: () => void;
}) {
  return (
    <Popover.Root>
      <Popover.Trigger className="btn btn-secondary">Columns</Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          aria-label="Columns shown"
          align="end"
          sideOffset={4}
          className="z-50 w-60 rounded-md border border-slate-200 bg-white p-3 shadow-lg"
        >
          <fieldset>
            <legend className="mb-2 text-sm font-semibold">Columns shown</legend>
            {columns.map((c) => (
              <label key={c.id} className="flex items-center gap-2 py-0.5 text-sm">
                <input
                  type="checkbox"
                  checked={!hidden.includes(c.id)}
                  disabled={locked.includes(c.id)}
                  onChange={() => onToggle(c.id)}
                />
                {c.header}
              </label>
            ))}
          </fieldset>
          {onReset ? (
            <button type="button" className="btn btn-secondary mt-2 w-full justify-center" onClick={onReset}>
              Reset to the defaults
            </button>
          ) : null}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
