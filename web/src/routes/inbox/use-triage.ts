import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { TASKS_KEY, type Task, taskQuery, transitionTask } from '../../api/tasks.ts';
import { formatDateTime } from '../../lib/format.ts';
import { STATE_WORDS } from './words.ts';

export type Move = 'done' | 'dismissed' | 'snoozed' | 'open';

/** What the last move did, shown above the list: a success (with undo), a conflict or an error. */
export type Notice =
  | { kind: 'ok'; text: string; undo?: { task: Task; from: Move }; link?: { href: string; label: string } }
  | { kind: 'conflict'; text: string }
  | {
      kind: 'bulk';
      text: string;
      failures: { id: number; title: string; message: string; conflict: boolean }[];
    }
  | { kind: 'error'; error: unknown };

const PAST: Record<Move, string> = {
  done: 'Marked done',
  dismissed: 'Dismissed',
  snoozed: 'Snoozed',
  open: 'Reopened',
};

/**
 * Moves tasks (done, dismissed, snoozed, reopened) and says what happened. A 409 means someone or
 * the engine moved the task first: the message names its state now and who moved it, and every
 * inbox query (rows, detail, badge) is refreshed.
 */
export function useTriage(locale: string) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  const move = useCallback(
    async (task: Task, to: Move, snooze?: { until: string } | { for_hours: number }): Promise<boolean> => {
      setBusy(true);
      try {
        const moved = await transitionTask(task.id, { to, ...snooze });
        const undo = to === 'done' || to === 'dismissed' ? { task, from: to } : undefined;
        // the server's time: a preset was resolved on its clock
        const when = moved.snoozed_until ? ` until ${formatDateTime(moved.snoozed_until, locale)}` : '';
        setNotice({ kind: 'ok', text: `${PAST[to]}${when}: ${task.title}`, ...(undo ? { undo } : {}) });
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          const now = await queryClient.fetchQuery({ ...taskQuery(task.id), staleTime: 0 }).catch(() => null);
          const last = now?.events.at(-1);
          const state = now ? STATE_WORDS[now.state] : 'changed';
          const by = last && last.actor !== 'engine' ? ` by ${last.actor}` : '';
          setNotice({
            kind: 'conflict',
            text: `“${task.title}” is already ${state}${by}: someone else got to it first. The list is refreshed.`,
          });
        } else setNotice({ kind: 'error', error: err });
        return false;
      } finally {
        setBusy(false);
        await queryClient.invalidateQueries({ queryKey: TASKS_KEY });
      }
    },
    [queryClient, locale],
  );

  return { move, busy, notice, setNotice };
}
