import { useEffect, useRef } from 'react';

export type Shortcuts = Partial<Record<string, () => void>>;

/** Where a typed letter belongs to a field, never to the page. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, [role="combobox"], [role="textbox"]') !== null;
}

/**
 * Single-key shortcuts on the whole page (j, k, d, s, x, Enter…), off while typing in a field and
 * while `enabled` is false (a modal dialog of the page is open), never with Ctrl, Alt or Meta (the
 * browser's own). Enter is left to a focused link or button.
 */
export function useShortcuts(keys: Shortcuts, enabled = true): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey) return;
      if (isTypingTarget(e.target)) return;
      if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('a, button')) return;
      // letters as typed (j, k, d…), named keys in lower case (enter, escape)
      const run = current.current[e.key.length === 1 ? e.key : e.key.toLowerCase()];
      if (!run) return;
      e.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
