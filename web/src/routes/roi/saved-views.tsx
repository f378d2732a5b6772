import * as Popover from '@radix-ui/react-popover';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { deleteView, saveView, viewsQuery } from '../../api/views.ts';
import { InlineError } from '../../ui/states.tsx';

/** Saved views: the page's URL query under a name, per user (GET/POST/DELETE /api/v1/views). */
export function SavedViews({
  page,
  current,
  onOpen,
}: {
  page: string;
  /** The current URL query string without `?` (what gets saved). */
  current: string;
  onOpen: (params: string) => void;
}) {
  const queryClient = useQueryClient();
  const views = useQuery(viewsQuery(page));
  const [name, setName] = useState('');
  const [open, setOpen] = useState(false);
  const save = useMutation({
    mutationFn: () => saveView(page, name.trim(), current),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['views', page] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => deleteView(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['views', page] }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim()) save.mutate();
  }

  const items = views.data?.items ?? [];
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className="btn btn-secondary">
        Saved views{items.length ? ` (${items.length})` : ''}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          aria-label="Saved views"
          align="end"
          sideOffset={4}
          className="z-50 w-80 rounded-md border border-slate-200 bg-white p-3 shadow-lg"
        >
          <h2 className="mb-2 text-sm font-semibold">Saved views</h2>
          {views.error ? <InlineError error={views.error} /> : null}
          {views.isPending ? <p className="text-sm text-slate-600">Loading…</p> : null}
          {!views.isPending && !views.error && items.length === 0 ? (
            <p className="text-sm text-slate-600">
              None yet. Save the current filters and sort under a name.
            </p>
          ) : null}
          <ul className="mb-3 max-h-60 space-y-1 overflow-auto">
            {items.map((v) => (
              <li key={v.id} className="flex items-center gap-2">
                <button
                  type="button"
                  className="flex-1 truncate rounded px-2 py-1 text-left text-sm hover:bg-slate-100"
                  title={v.params || '(no filters)'}
                  onClick={() => {
                    onOpen(v.params);
                    setOpen(false);
                  }}
                >
                  {v.name}
                </button>
                <button
                  type="button"
                  className="rounded px-1.5 text-sm text-slate-500 hover:bg-red-50 hover:text-red-800"
                  aria-label={`Delete the view ${v.name}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(v.id)}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
          {remove.error ? <InlineError error={remove.error} /> : null}
          <form onSubmit={submit} className="flex items-end gap-2 border-t border-slate-200 pt-3">
            <div className="flex-1">
              <label htmlFor="view-name" className="label">
                Save the current view as
              </label>
              <input
                id="view-name"
                className="input w-full"
                maxLength={60}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </div>
            <button type="submit" className="btn btn-primary" disabled={!name.trim() || save.isPending}>
              Save
            </button>
          </form>
          {save.error ? (
            <div className="mt-2">
              <InlineError error={save.error} />
            </div>
          ) : null}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
