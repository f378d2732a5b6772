import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { type ApproveResult, approve } from '../../api/roi.ts';
import { useLocale } from '../../api/session.ts';
import { formatInt } from '../../lib/format.ts';
import type { RoiFilterParams } from '../../lib/roi-search.ts';
import { approveBody, type Decision, type SelectionState, selectedCount } from '../../lib/selection.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';

const VERB: Record<Decision, { button: string; title: string; past: string }> = {
  approved: { button: 'Approve', title: 'Approve', past: 'approved' },
  rejected: { button: 'Reject', title: 'Reject', past: 'rejected' },
  observe: { button: 'Observe', title: 'Mark to observe', past: 'marked to observe' },
};

function products(n: number | undefined, locale: string): string {
  if (n === undefined) return '… products';
  return `${formatInt(n, locale)} product${n === 1 ? '' : 's'}`;
}

/**
 * The bulk decision: a dry run first (how many products would change), then a confirm that names
 * the count and the decision. "All matching" sends the filter and the count the user saw; the server
 * refuses (409) if the filter now matches a different number, and the dialog says so.
 */
export function BulkDecision({
  selection,
  filter,
  matching,
  onDone,
}: {
  selection: SelectionState;
  filter: RoiFilterParams;
  /** Distinct ASINs matching the filter (GET /roi/count). */
  matching: number | undefined;
  onDone: (message: string) => void;
}) {
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [preview, setPreview] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  // the confirm's error (a 409 stays shown while the dry run recounts) and the dry run's own
  const [error, setError] = useState<unknown>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const count = selectedCount(selection, matching);

  // dry run is the default: opening the dialog asks the server what would change
  useEffect(() => {
    if (!decision) return;
    let cancelled = false;
    setPreview(null);
    setPreviewError(null);
    approve(approveBody(selection, filter, matching, decision, true))
      .then((r: ApproveResult) => {
        if (!cancelled && r.dry_run) setPreview(r.would_update);
      })
      .catch((err) => {
        if (!cancelled) setPreviewError(err);
      });
    return () => {
      cancelled = true;
    };
  }, [decision, selection, filter, matching]);

  async function confirm() {
    if (!decision) return;
    setBusy(true);
    setError(null);
    try {
      const r = await approve(approveBody(selection, filter, matching, decision, false));
      const n = r.dry_run ? r.would_update : r.updated;
      await queryClient.invalidateQueries({ queryKey: ['roi'] });
      onDone(`${products(n, locale)} ${VERB[decision].past}.`);
      setDecision(null);
    } catch (err) {
      setError(err);
      // the count changed under us: refresh it so the dialog and the bar show the new number
      if (err instanceof ApiError && err.status === 409) {
        void queryClient.invalidateQueries({ queryKey: ['roi', 'count'] });
      }
    } finally {
      setBusy(false);
    }
  }

  const disabled = !count;
  return (
    <>
      {(['approved', 'rejected', 'observe'] as const).map((d) => (
        <button
          key={d}
          type="button"
          className={d === 'approved' ? 'btn btn-primary' : 'btn btn-secondary'}
          disabled={disabled}
          onClick={() => setDecision(d)}
        >
          {VERB[d].button}…
        </button>
      ))}
      <ConfirmDialog
        open={decision !== null}
        onOpenChange={(o) => {
          if (!o) {
            setDecision(null);
            setError(null);
          }
        }}
        title={decision ? `${VERB[decision].title} ${products(count, locale)}?` : ''}
        confirmLabel={decision ? `${VERB[decision].button} ${products(count, locale)}` : ''}
        onConfirm={() => void confirm()}
        busy={busy}
        error={error ?? previewError}
        danger={decision === 'rejected'}
      >
        <p>
          Decision: <strong>{decision ? VERB[decision].past : ''}</strong>, for{' '}
          {selection.mode === 'all' ? (
            <>
              <strong>all {products(count, locale)}</strong> matching the current filter
            </>
          ) : (
            <>
              the <strong>{products(count, locale)}</strong> you selected
            </>
          )}
          .
        </p>
        <p aria-live="polite">
          {preview === null
            ? previewError
              ? ''
              : 'Dry run: counting what would change…'
            : `Dry run: ${products(preview, locale)} would get this decision. Nothing has changed yet.`}
        </p>
        {selection.mode === 'all' ? (
          <p className="text-xs text-slate-600">
            If the filter matches a different number of products when you confirm (a price list was imported
            meanwhile), nothing is changed and you are told the new count.
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
