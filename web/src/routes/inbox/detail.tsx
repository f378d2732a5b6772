import * as Dialog from '@radix-ui/react-dialog';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type Task, type TaskDetail, type TaskEvent, taskQuery } from '../../api/tasks.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { SeverityBadge } from '../../ui/tasks.tsx';
import type { Acting } from './act-dialog.tsx';
import { AppLink } from './app-link.tsx';
import { AssignTask } from './assign.tsx';
import { TaskButtons } from './buttons.tsx';
import { TaskDetails } from './details.tsx';
import { taskLinks } from './links.ts';
import type { Move } from './use-triage.ts';
import { EVENT_WORDS, STATE_WORDS, typeWords } from './words.ts';

export interface DetailProps {
  id: number | null;
  onClose: () => void;
  /** Null for a viewer: no write buttons. */
  write: {
    move: (t: Task, to: Move) => void;
    snooze: (t: Task) => void;
    act: (a: Acting) => void;
    busy: boolean;
  } | null;
  vendorName: (id: number) => string | undefined;
}

/** One task beside the list: why, where to look, what it carries, its history, and what to do. */
export function TaskPanel(props: DetailProps) {
  return (
    <Dialog.Root open={props.id !== null} onOpenChange={(o) => !o && props.onClose()} modal={false}>
      <Dialog.Portal>
        <Dialog.Content
          className="fixed top-14 right-0 bottom-0 z-30 w-[min(36rem,100vw)] overflow-y-auto border-l border-slate-200 bg-white p-4 shadow-xl focus:outline-none"
          onInteractOutside={(e) => e.preventDefault()}
          // the list's shortcuts stay live while the panel is open: keep the focus where it was
          onOpenAutoFocus={(e) => e.preventDefault()}
          aria-describedby={undefined}
        >
          {props.id !== null ? <Detail {...props} id={props.id} /> : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Heading({ children }: { children: ReactNode }) {
  return <h3 className="mt-4 mb-1 text-sm font-semibold text-slate-800">{children}</h3>;
}

function Detail({ id, write, vendorName }: DetailProps & { id: number }) {
  const q = useQuery(taskQuery(id));
  const close = (
    <Dialog.Close className="btn btn-secondary px-2" aria-label="Close the task">
      ✕
    </Dialog.Close>
  );
  if (q.isPending || (q.error && !q.data))
    return (
      <>
        <div className="flex items-start justify-between gap-2">
          <Dialog.Title className="text-base font-semibold">Task #{id}</Dialog.Title>
          {close}
        </div>
        {q.isPending ? (
          <Loading label="Loading the task…" />
        ) : (
          <ErrorState error={q.error} title="The task could not be loaded" onRetry={() => void q.refetch()} />
        )}
      </>
    );
  const t: TaskDetail = q.data!;
  const links = taskLinks(t.links, t.vendor_id ? vendorName(t.vendor_id) : undefined);
  return (
    <>
      <div className="mb-2 flex items-start justify-between gap-2">
        <div className="min-w-0">
          <Dialog.Title className="text-base font-semibold">{t.title}</Dialog.Title>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <SeverityBadge severity={t.severity} />
            <span>{typeWords(t.type)}</span>
            <span>· {STATE_WORDS[t.state]}</span>
            {t.state === 'snoozed' ? (
              <span>
                until <RelativeTime value={t.snoozed_until} />
              </span>
            ) : null}
            {t.due ? (
              <span>
                · due <RelativeTime value={t.due} />
              </span>
            ) : null}
            <span>· {t.assignee ? `assigned to ${t.assignee}` : 'unassigned'}</span>
          </p>
        </div>
        {close}
      </div>

      <Heading>Why</Heading>
      <ul className="list-inside list-disc text-sm">
        {t.why.map((w) => (
          <li key={w.code + w.message}>{w.message}</li>
        ))}
      </ul>

      <TaskButtons task={t} write={write} />

      {write ? (
        <>
          <Heading>Assignee</Heading>
          <AssignTask task={t} />
        </>
      ) : null}

      {links.length > 0 ? (
        <>
          <Heading>Where to look</Heading>
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {links.map((l) => (
              <li key={l.href}>
                <AppLink href={l.href} className="link">
                  {l.label}
                </AppLink>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <Heading>Details</Heading>
      <TaskDetails type={t.type} details={t.details} />

      <Heading>History</Heading>
      <History events={t.events} />
    </>
  );
}

function eventText(e: TaskEvent): string {
  const after = (e.after ?? {}) as Record<string, unknown>;
  const before = (e.before ?? {}) as Record<string, unknown>;
  const word = EVENT_WORDS[e.kind] ?? e.kind;
  if (e.kind === 'transition' && typeof after['state'] === 'string')
    return `${word} from ${String(before['state'] ?? '?')} to ${after['state']}`;
  if ((e.kind === 'escalated' || e.kind === 'deescalated') && after['severity'])
    return `${word} to ${String(after['severity'])}`;
  if (e.kind === 'assigned')
    return after['assignee'] ? `Assigned to ${String(after['assignee'])}` : 'Unassigned';
  if (e.kind === 'acted' && typeof after['action'] === 'string')
    return `Acted: ${after['action'].replace(/_/g, ' ')}`;
  return word;
}

function History({ events }: { events: TaskEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No events yet.</p>;
  return (
    <ol className="space-y-1 text-sm">
      {[...events].reverse().map((e) => (
        <li key={e.id} className="border-b border-slate-100 pb-1">
          <span className="font-medium">{eventText(e)}</span> by {e.actor},{' '}
          <span className="text-slate-600">
            <RelativeTime value={e.at} />
          </span>
          {e.note ? <div className="text-slate-700">“{e.note}”</div> : null}
        </li>
      ))}
    </ol>
  );
}
