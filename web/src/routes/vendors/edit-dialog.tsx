import * as Dialog from '@radix-ui/react-dialog';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { updateVendor, type Vendor, type VendorUpdate } from '../../api/vendors.ts';
import {
  checkSettings,
  type FieldErrors,
  formOf,
  type SettingsForm,
  serverFieldErrors,
} from '../../lib/vendors-settings.ts';
import { InlineError } from '../../ui/states.tsx';

const FIELDS: { key: keyof SettingsForm; label: string; hint: string; width: string }[] = [
  {
    key: 'country',
    label: 'Country',
    hint: 'ISO code, e.g. DE: picks the freight lane ROI uses',
    width: 'w-20',
  },
  {
    key: 'currency',
    label: 'Currency',
    hint: 'ISO code, e.g. EUR: for price lists that name none',
    width: 'w-24',
  },
  {
    key: 'lead_time_days',
    label: 'Lead time (days)',
    hint: 'default for items without their own',
    width: 'w-24',
  },
  { key: 'moq', label: 'MOQ (units)', hint: 'default for items without their own', width: 'w-28' },
  { key: 'email', label: 'E-mail', hint: 'for purchase orders and price-list requests', width: 'w-72' },
];

function Field({
  f,
  value,
  error,
  onChange,
}: {
  f: (typeof FIELDS)[number];
  value: string;
  error?: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="label">
        {f.label}
      </label>
      <input
        id={id}
        name={f.key}
        className={`input ${f.width} ${error ? 'border-red-600 ring-1 ring-red-600' : ''}`}
        value={value}
        inputMode={f.key === 'lead_time_days' || f.key === 'moq' ? 'numeric' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-help`} className={`mt-0.5 text-xs ${error ? 'text-red-700' : 'text-slate-600'}`}>
        {error ? `⚠ ${error}` : f.hint}
      </p>
    </div>
  );
}

/**
 * The vendor's settings, checked as typed; "Preview" asks the API what saving would change (a dry
 * run: the offers whose ROI is recomputed, the items restock takes the defaults for), "Save" writes.
 */
export function EditVendorDialog({
  vendor,
  onClose,
  onSaved,
}: {
  vendor: Vendor;
  onClose: () => void;
  onSaved: (msg: string) => void;
}) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<SettingsForm>(() => formOf(vendor));
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [preview, setPreview] = useState<{ key: string; out: VendorUpdate } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const checked = checkSettings(form);
  const errors = { ...serverErrors, ...checked.errors };
  const key = JSON.stringify(checked.values ?? null);
  const current = preview?.key === key ? preview.out : null;

  const set = (k: keyof SettingsForm, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setServerErrors((e) => ({ ...e, [k]: undefined }));
  };

  const send = async (dryRun: boolean) => {
    if (!checked.values) return;
    setBusy(true);
    setError(null);
    try {
      const out = await updateVendor(vendor.id, { ...checked.values, dry_run: dryRun });
      if (dryRun) setPreview({ key, out });
      else {
        await queryClient.invalidateQueries({ queryKey: ['vendors'] });
        onSaved(
          out.changes.length === 0
            ? `${vendor.name}: nothing to change.`
            : `${vendor.name} saved: ${out.changes.map((c) => c.field.replaceAll('_', ' ')).join(', ')} changed${out.roi_recomputed ? '; ROI recomputed' : ''}.`,
        );
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setServerErrors(serverFieldErrors(err.details));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open onOpenChange={(o) => !o && !busy && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[90vh] w-[min(40rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded-lg bg-white p-5 shadow-xl focus:outline-none">
          <Dialog.Title className="text-lg font-semibold text-slate-900">Edit {vendor.name}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">
            ROI and the restock plan read these settings. Preview shows what a change affects before it is
            saved.
          </Dialog.Description>
          <form
            className="mt-4 flex flex-wrap gap-x-4 gap-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              void send(true);
            }}
          >
            {FIELDS.map((f) => (
              <Field
                key={f.key}
                f={f}
                value={form[f.key]}
                error={errors[f.key]}
                onChange={(v) => set(f.key, v)}
              />
            ))}
            <button type="submit" hidden aria-hidden tabIndex={-1} />
          </form>
          <section aria-live="polite" className="mt-4">
            {current ? (
              current.changes.length === 0 ? (
                <p className="text-sm text-slate-700">Nothing would change.</p>
              ) : (
                <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
                  <p className="font-medium text-slate-900">Preview (dry run: nothing saved yet)</p>
                  <ul className="mt-1 list-disc pl-5">
                    {current.changes.map((c) => (
                      <li key={c.field}>
                        {c.field.replaceAll('_', ' ')}: {c.from ?? '(none)'} → {c.to ?? '(none)'}
                      </li>
                    ))}
                  </ul>
                  {current.effects.length > 0 ? (
                    <ul className="mt-2 space-y-1">
                      {current.effects.map((e) => (
                        <li key={e.field} className="text-slate-800">
                          <span aria-hidden>→ </span>
                          {e.message}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              )
            ) : null}
          </section>
          {error ? (
            <div className="mt-3">
              <InlineError error={error} />
            </div>
          ) : null}
          <div className="mt-5 flex flex-wrap justify-end gap-2">
            <Dialog.Close asChild>
              <button type="button" className="btn btn-secondary" disabled={busy}>
                Cancel
              </button>
            </Dialog.Close>
            <button
              type="button"
              className="btn btn-secondary"
              disabled={busy || !checked.values}
              onClick={() => void send(true)}
            >
              Preview changes
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || !current || current.changes.length === 0}
              title={current ? undefined : 'Preview first: see what the change affects'}
              onClick={() => void send(false)}
              aria-busy={busy || undefined}
            >
              {busy
                ? 'Working…'
                : current && current.changes.length > 0
                  ? `Save ${current.changes.length} change${current.changes.length === 1 ? '' : 's'}`
                  : 'Save'}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
