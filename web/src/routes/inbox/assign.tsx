import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { hasRole, useMe } from '../../api/session.ts';
import { assignTask, TASKS_KEY, type Task } from '../../api/tasks.ts';
import { teamUsersQuery } from '../../api/team.ts';
import { InlineError } from '../../ui/states.tsx';

/**
 * Gives the task to someone: me, a person of the team (the list an admin can read), or any name
 * typed in; or to nobody. The history records who gave it to whom.
 */
export function AssignTask({ task }: { task: Task }) {
  const id = useId();
  const me = useMe();
  const queryClient = useQueryClient();
  // the team list is an admin's page; others pick themselves or type a colleague's e-mail
  const team = useQuery({ ...teamUsersQuery, enabled: hasRole(me.role, 'admin') });
  const people = (team.data?.items ?? []).filter((u) => !u.disabled_at);
  const [who, setWho] = useState('');
  const assign = useMutation({
    mutationFn: (assignee: string | null) => assignTask(task.id, assignee),
    onSuccess: () => {
      setWho('');
      void queryClient.invalidateQueries({ queryKey: TASKS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (who.trim()) assign.mutate(who.trim());
  };
  return (
    <form aria-label="Assign the task" onSubmit={submit} className="mt-1 text-sm">
      <p className="mb-1">
        {task.assignee ? (
          <>
            Assigned to <span className="font-medium">{task.assignee}</span>
            {task.assignee === me.name ? ' (you)' : ''}
          </>
        ) : (
          'Nobody has it yet.'
        )}
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={id} className="label">
            Give it to
          </label>
          <input
            id={id}
            className="input w-60"
            list={`${id}-people`}
            value={who}
            placeholder="name@example.com"
            onChange={(e) => setWho(e.target.value)}
          />
          <datalist id={`${id}-people`}>
            {people.map((u) => (
              <option key={u.email} value={u.email}>
                {u.name}
              </option>
            ))}
          </datalist>
        </div>
        <button type="submit" className="btn btn-secondary" disabled={!who.trim() || assign.isPending}>
          Assign
        </button>
        {task.assignee !== me.name ? (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={assign.isPending}
            onClick={() => assign.mutate(me.name)}
          >
            Assign to me
          </button>
        ) : null}
        {task.assignee ? (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={assign.isPending}
            onClick={() => assign.mutate(null)}
          >
            Unassign
          </button>
        ) : null}
      </div>
      {assign.error ? (
        <div className="mt-1">
          <InlineError error={assign.error} />
        </div>
      ) : null}
    </form>
  );
}
