import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { TASKS_KEY, type Task, transitionTasks } from '../../api/tasks.ts';
import { type Picked, pickedInOrder, rangePick, togglePick } from './pick.ts';
import type { Notice } from './use-triage.ts';

export type BulkMove = 'done' | 'dismissed' | 'snoozed';

const PAST: Record<BulkMove, string> = { done: 'marked done', dismissed: 'dismissed', snoozed: 'snoozed' };

/**
 * The ticked tasks and their bulk move (POST /tasks/transition): the server answers each task on its
 * own, so the message says how many moved and names every one that did not, with the reason (a task
 * someone else closed first is a 409 conflict of that item).
 */
export function useBulk(rows: Task[], order: number[], setNotice: (n: Notice) => void) {
  const queryClient = useQueryClient();
  const [raw, setPicked] = useState<Picked>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  // a tick on a task no longer listed (moved, filtered out, another page) does not count
  const ids = useMemo(() => pickedInOrder(raw, order), [raw, order]);
  const picked = useMemo(() => new Set(ids), [ids]);

  const pick = useCallback(
    (t: Task, range: boolean) => {
      setPicked((p) => (range ? rangePick(p, order, anchor, t.id) : togglePick(p, t.id)));
      setAnchor(t.id);
    },
    [order, anchor],
  );
  const pickAll = useCallback((on: boolean) => setPicked(on ? new Set(order) : new Set()), [order]);
  const clear = useCallback(() => setPicked(new Set()), []);

  const run = useCallback(
    async (to: BulkMove, snooze?: { until: string } | { for_hours: number }) => {
      if (ids.length === 0) return;
      setBusy(true);
      try {
        const r = await transitionTasks({ ids, to, ...snooze });
        const title = new Map(rows.map((t) => [t.id, t.title]));
        const failures = r.items
          .filter((i) => !i.ok)
          .map((i) => ({
            id: i.id,
            title: title.get(i.id) ?? `Task #${i.id}`,
            message: i.error?.message ?? 'refused',
            conflict: i.error?.code === 'conflict',
          }));
        const text = `${r.moved} of ${r.items.length} task${r.items.length === 1 ? '' : 's'} ${PAST[to]}.`;
        setNotice(failures.length ? { kind: 'bulk', text, failures } : { kind: 'ok', text });
        setPicked(new Set(failures.map((f) => f.id)));
      } catch (error) {
        setNotice({ kind: 'error', error });
      } finally {
        setBusy(false);
        await queryClient.invalidateQueries({ queryKey: TASKS_KEY });
      }
    },
    [ids, rows, queryClient, setNotice],
  );

  return { picked, ids, pick, pickAll, clear, run, busy };
}
