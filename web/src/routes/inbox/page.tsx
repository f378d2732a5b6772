import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { hasRole, useLocale, useMe } from '../../api/session.ts';
import { type ActResult, type Task, tasksQuery } from '../../api/tasks.ts';
import { vendorsQuery } from '../../api/vendors.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { Pager } from '../../ui/pager.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { ActDialog, type Acting } from './act-dialog.tsx';
import { BulkBar } from './bulk-bar.tsx';
import { TaskPanel } from './detail.tsx';
import { InboxFilters } from './filters.tsx';
import { groupTasks, step } from './group.ts';
import { KeyHelp } from './key-help.tsx';
import { Notices } from './notices.tsx';
import { route } from './route.tsx';
import { hasFilters, INBOX_DEFAULTS, type InboxSearch, inboxApiQuery, updateInboxSearch } from './search.ts';
import { SnoozeDialog } from './snooze.tsx';
import { TaskList } from './task-list.tsx';
import { useBulk } from './use-bulk.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { type Move, useTriage } from './use-triage.ts';

const EMPTY: Task[] = [];
type Patch = Partial<Record<keyof InboxSearch, unknown>>;
const isActive = (t: Task) => t.state === 'open' || t.state === 'snoozed';

function actedText(r: ActResult): { text: string; link?: { href: string; label: string } } {
  const res = r.result as { id?: number; run_id?: string } | null;
  if (r.action.kind === 'create_po' && res?.id)
    return {
      text: `Placed purchase order #${res.id}: ${r.task.title}.`,
      link: { href: `/purchase-orders?po=${res.id}`, label: `Open purchase order #${res.id}` },
    };
  return { text: `${r.action.label}: done. ${r.task.title}.` };
}

export default function InboxPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const me = useMe();
  const locale = useLocale();
  const canWrite = hasRole(me.role, 'ops');
  const setSearch = useCallback(
    (patch: Patch, replace = false) =>
      void navigate({ search: (prev: InboxSearch) => updateInboxSearch(prev, patch), replace }),
    [navigate],
  );

  const query = inboxApiQuery(search);
  const list = useQuery(tasksQuery(query));
  const vendors = useQuery(vendorsQuery);
  const names = useMemo(
    () => new Map((vendors.data?.items ?? []).map((v) => [v.id, v.name] as const)),
    [vendors.data],
  );
  const vendorName = useCallback((id: number) => names.get(id), [names]);
  const rows = list.data?.items ?? EMPTY;
  const groups = useMemo(
    () => groupTasks(rows, search.group ?? 'type', vendorName),
    [rows, search.group, vendorName],
  );
  const order = useMemo(() => groups.flatMap((g) => g.tasks.map((t) => t.id)), [groups]);

  // --- the selection: j/k move it; when its row leaves the list, the row now at its place takes over
  const [cursor, setCursor] = useState<number | null>(search.task ?? null);
  const lastIndex = useRef(0);
  const selected =
    cursor !== null && order.includes(cursor)
      ? cursor
      : (order[Math.min(lastIndex.current, order.length - 1)] ?? null);
  useEffect(() => {
    if (selected !== null) lastIndex.current = order.indexOf(selected);
  }, [selected, order]);
  const selectedTask = rows.find((t) => t.id === selected) ?? null;

  const triage = useTriage(locale);
  const bulk = useBulk(rows, order, triage.setNotice);
  const [snoozing, setSnoozing] = useState<Task | null>(null);
  const [bulkSnooze, setBulkSnooze] = useState(false);
  const [acting, setActing] = useState<Acting | null>(null);

  const openTask = (t: Task) => {
    setCursor(t.id);
    setSearch({ task: t.id });
  };
  const go = (by: 1 | -1) => {
    const next = step(order, selected, by);
    if (next === null) return;
    setCursor(next);
    // an open detail follows the selection
    if (search.task !== undefined) setSearch({ task: next }, true);
  };
  /** Moves a task; the selection (and an open detail) goes on to the next row. */
  const move = async (t: Task, to: Move, snooze?: { until: string } | { for_hours: number }) => {
    const i = order.indexOf(t.id);
    const next = order[i + 1] ?? order[i - 1] ?? null;
    const ok = await triage.move(t, to, snooze);
    if (!ok || to === 'open') return;
    if (t.id === selected) setCursor(next);
    if (search.task === t.id) setSearch({ task: next ?? undefined }, true);
  };
  const write = canWrite
    ? {
        move: (t: Task, to: Move) => void move(t, to),
        snooze: setSnoozing,
        act: setActing,
        busy: triage.busy,
      }
    : null;
  const onSelected = (f: (t: Task) => void) => () => {
    if (selectedTask) f(selectedTask);
  };
  const writeKey = (f: (t: Task) => void) =>
    canWrite ? onSelected((t) => isActive(t) && !triage.busy && f(t)) : undefined;
  useShortcuts(
    {
      j: () => go(1),
      k: () => go(-1),
      enter: onSelected(openTask),
      escape: () => search.task !== undefined && setSearch({ task: undefined }),
      d: writeKey((t) => void move(t, 'done')),
      x: writeKey((t) => void move(t, 'dismissed')),
      s: writeKey(setSnoozing),
      v: canWrite ? onSelected((t) => bulk.pick(t, false)) : undefined,
    },
    snoozing === null && acting === null && !bulkSnooze,
  );

  let body: ReactNode;
  if (list.isPending) body = <Loading label="Loading the inbox…" />;
  else if (list.error && !list.data)
    body = (
      <ErrorState
        error={list.error}
        title="The inbox could not be loaded"
        onRetry={() => void list.refetch()}
      />
    );
  else if (rows.length === 0)
    body = hasFilters(search) ? (
      <Empty title="No tasks match these filters">Clear the filters to see every open task.</Empty>
    ) : (
      <Empty title="✓ Nothing to do">
        Every open task is handled. New ones appear here as soon as the data behind them lands: prices,
        reports, price lists, restock plans and agent runs.
      </Empty>
    );
  else
    body = (
      <>
        <TaskList
          groups={groups}
          selected={selected}
          open={search.task ?? null}
          onOpen={openTask}
          stale={list.isPlaceholderData}
          picking={canWrite ? { picked: bulk.picked, onPick: bulk.pick, onPickAll: bulk.pickAll } : null}
        />
        <Pager
          page={query.page}
          pageSize={query.page_size}
          total={list.data?.total ?? 0}
          onPage={(p) => setSearch({ page: p })}
          onPageSize={(n) => setSearch({ page_size: n === INBOX_DEFAULTS.page_size ? undefined : n })}
        />
      </>
    );

  return (
    <>
      <PageHeader
        title="Inbox"
        description="What needs a decision, most severe and earliest due first. Select a task for its reasons, its data and what to do."
      />
      <InboxFilters search={search} onChange={setSearch} vendorName={vendorName} me={me.name} />
      <KeyHelp canWrite={canWrite} />
      <Notices
        notice={triage.notice}
        onDismiss={() => triage.setNotice(null)}
        onUndo={(t) => {
          setCursor(t.id);
          void triage.move(t, 'open');
        }}
      />
      {canWrite ? (
        <BulkBar
          count={bulk.ids.length}
          busy={bulk.busy}
          onMove={(to) => void bulk.run(to)}
          onSnooze={() => setBulkSnooze(true)}
          onClear={bulk.clear}
        />
      ) : null}
      {body}
      <TaskPanel
        id={search.task ?? null}
        onClose={() => setSearch({ task: undefined })}
        write={write}
        vendorName={vendorName}
      />
      <SnoozeDialog
        task={snoozing}
        onClose={() => setSnoozing(null)}
        onSnooze={(when) => {
          const t = snoozing;
          setSnoozing(null);
          if (t) void move(t, 'snoozed', 'until' in when ? { until: when.until.toISOString() } : when);
        }}
      />
      <SnoozeDialog
        task={bulkSnooze ? { title: `${bulk.ids.length} ticked tasks` } : null}
        onClose={() => setBulkSnooze(false)}
        onSnooze={(when) => {
          setBulkSnooze(false);
          void bulk.run('snoozed', 'until' in when ? { until: when.until.toISOString() } : when);
        }}
      />
      <ActDialog
        acting={acting}
        onClose={() => setActing(null)}
        onDone={(r) => {
          setActing(null);
          triage.setNotice({ kind: 'ok', ...actedText(r) });
        }}
      />
    </>
  );
}
