import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useLocale } from '../../api/session.ts';
import { saveThresholds, TASKS_KEY, type Threshold, thresholdsQuery } from '../../api/tasks.ts';
import { changesOf, type Drafts, errorFields, groupThresholds } from '../../lib/alert-thresholds.ts';
import { Section } from '../../ui/section.tsx';
import { ErrorState, InlineError, Loading } from '../../ui/states.tsx';
import { typeWords } from '../inbox/words.ts';
import { ThresholdRow } from './threshold-row.tsx';

/**
 * The decision engine's thresholds: what each means, its default and its value now. Admins edit in
 * place and save all changes at once (the server takes all or none, naming each refused field);
 * everyone else reads them.
 */
export function AlertThresholds({ canEdit }: { canEdit: boolean }) {
  const locale = useLocale();
  const queryClient = useQueryClient();
  const list = useQuery(thresholdsQuery);
  const [drafts, setDrafts] = useState<Drafts>({});
  const [saved, setSaved] = useState<number | null>(null);
  const items = list.data ?? [];
  const { values, errors: local } = changesOf(items, drafts);
  const count = Object.keys(values).length;

  const save = useMutation({
    mutationFn: () => saveThresholds(values),
    onSuccess: (fresh) => {
      queryClient.setQueryData(thresholdsQuery.queryKey, fresh);
      void queryClient.invalidateQueries({ queryKey: TASKS_KEY });
      setDrafts({});
      setSaved(count);
    },
  });
  const server = errorFields(save.error);
  const errors = { ...server, ...local };
  const change = (key: string, draft: string | null) => {
    setSaved(null);
    save.reset();
    setDrafts((d) => ({ ...d, [key]: draft }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(local).length === 0 && count > 0) save.mutate();
  };

  return (
    <Section
      title="Alert thresholds"
      description={
        canEdit
          ? 'When the decision engine raises a task, and how severe. Changes apply at the next evaluation (within 15 minutes); “Reset” puts the default back.'
          : 'When the decision engine raises a task, and how severe. Only an admin can change them.'
      }
    >
      {list.isPending ? (
        <Loading label="Loading thresholds…" />
      ) : list.error ? (
        <ErrorState
          error={list.error}
          title="The thresholds could not be loaded"
          onRetry={() => void list.refetch()}
        />
      ) : (
        <form aria-label="Alert thresholds" onSubmit={submit} noValidate>
          <div className="overflow-x-auto">
            <table className="w-full border-collapse text-sm">
              <caption className="sr-only">Thresholds of the decision engine, by rule</caption>
              <thead>
                <tr className="border-b border-slate-200 text-left text-slate-700">
                  <th scope="col" className="py-1 pr-2 font-semibold">
                    Threshold and meaning
                  </th>
                  <th scope="col" className="w-24 py-1 pr-2 text-right font-semibold">
                    Default
                  </th>
                  <th scope="col" className="w-52 py-1 pr-2 font-semibold">
                    Value
                  </th>
                </tr>
              </thead>
              {groupThresholds(items).map((g) => (
                <tbody key={g.rule}>
                  <tr className="bg-slate-50">
                    <th
                      scope="rowgroup"
                      colSpan={3}
                      className="px-1 py-1 text-left font-semibold text-slate-800"
                    >
                      {g.rule === 'general' ? 'Every task' : typeWords(g.rule)}
                    </th>
                  </tr>
                  {g.items.map((t: Threshold) => (
                    <ThresholdRow
                      key={t.key}
                      t={t}
                      locale={locale}
                      draft={drafts[t.key]}
                      error={errors[t.key]}
                      canEdit={canEdit}
                      onChange={(d) => change(t.key, d)}
                    />
                  ))}
                </tbody>
              ))}
            </table>
          </div>
          {canEdit ? (
            <div className="mt-3 flex flex-wrap items-center gap-3">
              <button type="submit" className="btn btn-primary" disabled={count === 0 || save.isPending}>
                {count === 0 ? 'No changes' : `Save ${count} change${count === 1 ? '' : 's'}`}
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                disabled={Object.keys(drafts).length === 0}
                onClick={() => {
                  setDrafts({});
                  save.reset();
                }}
              >
                Discard
              </button>
              <p role="status" className="text-sm text-green-800">
                {saved !== null ? `Saved ${saved} change${saved === 1 ? '' : 's'}.` : ''}
              </p>
              {save.error && Object.keys(server).length === 0 ? (
                <div className="basis-full">
                  <InlineError error={save.error} />
                </div>
              ) : save.error ? (
                <div role="alert" className="basis-full text-sm text-red-800">
                  <p>Nothing was saved (all or none). Refused:</p>
                  <ul className="list-inside list-disc">
                    {Object.entries(server).map(([key, why]) => (
                      <li key={key}>
                        <a className="link" href={`#threshold-${key}`}>
                          {key}
                        </a>
                        : {why}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </div>
          ) : null}
        </form>
      )}
    </Section>
  );
}
