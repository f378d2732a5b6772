import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { type AgentState, runAgent } from '../../api/agents.ts';
import { jobFinished } from '../../lib/reports-job.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { JobLost, JobProgress, useJob } from '../../ui/job-progress.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { Counts } from './agents-table.tsx';

/** "Run now": dry run unless unticked; the confirm names the agent and the mode. */
export function RunDialog({
  agent,
  onClose,
  onQueued,
}: {
  agent: AgentState | null;
  onClose: () => void;
  onQueued: (jobId: string) => void;
}) {
  const [dryRun, setDryRun] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (agent) {
      setDryRun(true);
      setError(null);
    }
  }, [agent]);
  if (!agent) return null;
  return (
    <ConfirmDialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`Run ${agent.name} now?`}
      confirmLabel={dryRun ? `Run ${agent.name} (dry run)` : `Run ${agent.name} for real`}
      busy={busy}
      error={error}
      danger={!dryRun}
      onConfirm={() => {
        setBusy(true);
        setError(null);
        runAgent(agent.name, dryRun)
          .then((q) => onQueued(q.job_id))
          .catch(setError)
          .finally(() => setBusy(false));
      }}
    >
      <p>{agent.description}</p>
      <label className="flex items-start gap-2">
        <input
          type="checkbox"
          className="mt-0.5"
          checked={dryRun}
          onChange={(e) => setDryRun(e.target.checked)}
        />
        <span>
          <span className="font-medium">Dry run</span>
          <span className="block text-xs text-slate-600">
            Reads and computes everything and reports what it would change; writes nothing but its run record.
          </span>
        </span>
      </label>
    </ConfirmDialog>
  );
}

/** The run being watched (job id in the URL): its stage until it ends, then its counts or error. */
export function RunWatch({ jobId, locale, onClose }: { jobId: string; locale: string; onClose: () => void }) {
  const q = useJob(jobId);
  const queryClient = useQueryClient();
  const finished = jobFinished(q.data?.status);
  const refreshed = useRef(false);
  useEffect(() => {
    if (!finished || refreshed.current) return;
    refreshed.current = true;
    void queryClient.invalidateQueries({ queryKey: ['agents'] });
  }, [finished, queryClient]);

  if (q.isPending) return <Loading label="Looking up the run…" />;
  if (q.isError) return <JobLost error={q.error} onRetry={() => void q.refetch()} />;
  const job = q.data;
  const run = job.runs[0];
  const mode = (job.data as { dry_run?: boolean } | null)?.dry_run ? 'dry run' : 'real run';
  return (
    <JobProgress job={job} title={`${job.name} (${mode})`}>
      {finished ? (
        <div className="mt-2 space-y-2">
          {job.status === 'failed' || job.status === 'cancelled' ? (
            <ErrorState
              error={new Error(job.error ?? run?.error ?? 'The run failed without saying why.')}
              title={`${job.name} failed`}
            />
          ) : (
            <p>
              {run?.reason ? <span className="mr-2 text-slate-700">{run.reason}</span> : null}
              <Counts counts={run?.counts} locale={locale} />
            </p>
          )}
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Close
          </button>
        </div>
      ) : null}
    </JobProgress>
  );
}
