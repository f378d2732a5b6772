import { type DragEvent, type FormEvent, useId, useState } from 'react';
import { formatInt } from '../../lib/format.ts';
import type { UploadOptions } from '../../lib/upload-machine.ts';
import { CheckOption } from '../../ui/check-option.tsx';

export interface VendorItem {
  id: number;
  name: string;
  country?: string | null;
  currency?: string | null;
  offers?: number;
  last_import_at?: string | null;
}

const ACCEPT = '.csv,.tsv,.txt,.gz,.xlsx';
const KNOWN = /\.(csv|tsv|txt|xlsx)(\.gz)?$|\.gz$/i;

function sizeText(bytes: number, locale: string): string {
  if (bytes < 1024) return `${formatInt(bytes, locale)} B`;
  if (bytes < 1024 * 1024) return `${formatInt(Math.round(bytes / 1024), locale)} KB`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
}

/**
 * The upload form: vendor (an existing one or a new name), the file (drop zone around a real file
 * input, so the keyboard and screen readers work), and the import options. Dry run is the default.
 */
export function UploadForm({
  vendors,
  vendorName,
  onVendorName,
  onSubmit,
  busy,
  locale,
}: {
  vendors: VendorItem[];
  vendorName: string;
  onVendorName: (name: string) => void;
  onSubmit: (file: File, options: UploadOptions) => void;
  busy: boolean;
  locale: string;
}) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [currency, setCurrency] = useState('');
  const [sheet, setSheet] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [dryRun, setDryRun] = useState(true);
  const [force, setForce] = useState(false);
  const [errors, setErrors] = useState<{ vendor?: string; file?: string; currency?: string }>({});

  const existing = vendors.find((v) => v.name.toLowerCase() === vendorName.trim().toLowerCase());

  function pick(f: File | null | undefined) {
    if (!f) return;
    setFile(f);
    setErrors((e) => ({
      ...e,
      file: KNOWN.test(f.name) ? undefined : `${f.name}: AWA reads CSV, TSV, TXT (also .gz) and XLSX files`,
    }));
  }

  function onDrop(e: DragEvent<HTMLLabelElement>) {
    e.preventDefault();
    setDragging(false);
    pick(e.dataTransfer.files[0]);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    if (!vendorName.trim()) next.vendor = 'Choose a vendor or type the name of a new one';
    if (!file) next.file = 'Choose the price-list file';
    else if (!KNOWN.test(file.name))
      next.file = `${file.name}: AWA reads CSV, TSV, TXT (also .gz) and XLSX files`;
    if (currency.trim() && !/^[A-Za-z]{3}$/.test(currency.trim())) {
      next.currency = 'A 3-letter ISO code such as EUR, GBP or USD';
    }
    setErrors(next);
    if (Object.keys(next).length > 0 || !file) return;
    onSubmit(file, {
      vendor: vendorName.trim(),
      currency: currency.trim().toUpperCase() || undefined,
      sheet: sheet.trim() || undefined,
      skipInvalid,
      dryRun,
      force,
    });
  }

  const err = (key: keyof typeof errors) =>
    errors[key] ? (
      <p id={`${id}-${key}-error`} className="mt-1 text-xs text-red-700">
        {errors[key]}
      </p>
    ) : null;
  const described = (key: keyof typeof errors, hint?: string) =>
    [errors[key] ? `${id}-${key}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Upload a price list">
      <div>
        <label className="label" htmlFor={`${id}-vendor`}>
          Vendor
        </label>
        <input
          id={`${id}-vendor`}
          className="input w-full max-w-md"
          list={`${id}-vendors`}
          value={vendorName}
          onChange={(e) => onVendorName(e.target.value)}
          aria-invalid={errors.vendor ? true : undefined}
          aria-describedby={described('vendor', `${id}-vendor-hint`)}
          autoComplete="off"
          required
        />
        <datalist id={`${id}-vendors`}>
          {vendors.map((v) => (
            <option key={v.id} value={v.name} />
          ))}
        </datalist>
        <p id={`${id}-vendor-hint`} className="mt-1 text-xs text-slate-600">
          {vendorName.trim() === ''
            ? 'Pick an existing vendor or type a new name.'
            : existing
              ? `Existing vendor: ${formatInt(existing.offers ?? 0, locale)} prices${existing.currency ? `, in ${existing.currency}` : ''}.`
              : 'New vendor: created by the first real import (a dry run creates nothing).'}
        </p>
        {err('vendor')}
      </div>

      <div>
        <span className="label" id={`${id}-file-label`}>
          File
        </span>
        <label
          htmlFor={`${id}-file`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={`flex cursor-pointer flex-col items-center justify-center gap-1 rounded-md border-2 border-dashed p-5 text-center text-sm focus-within:outline-2 focus-within:outline-blue-600 ${
            dragging
              ? 'border-blue-600 bg-blue-50'
              : errors.file
                ? 'border-red-400 bg-red-50'
                : 'border-slate-300 bg-white'
          }`}
        >
          {file ? (
            <span>
              <span className="font-medium">{file.name}</span> · {sizeText(file.size, locale)}
            </span>
          ) : (
            <span className="font-medium">Drop the price list here</span>
          )}
          <span className="text-slate-600">
            or <span className="link">{file ? 'choose another file' : 'choose a file'}</span> — CSV, TSV, TXT,
            .gz or XLSX
          </span>
          <input
            id={`${id}-file`}
            type="file"
            accept={ACCEPT}
            className="sr-only"
            aria-labelledby={`${id}-file-label`}
            aria-describedby={described('file')}
            aria-invalid={errors.file ? true : undefined}
            onChange={(e) => pick(e.target.files?.[0])}
          />
        </label>
        {err('file')}
      </div>

      <div className="flex flex-wrap gap-4">
        <div>
          <label className="label" htmlFor={`${id}-currency`}>
            Currency
          </label>
          <input
            id={`${id}-currency`}
            className="input w-24 uppercase"
            value={currency}
            maxLength={3}
            placeholder={existing?.currency ?? 'auto'}
            onChange={(e) => setCurrency(e.target.value)}
            aria-invalid={errors.currency ? true : undefined}
            aria-describedby={described('currency', `${id}-currency-hint`)}
          />
          <p id={`${id}-currency-hint`} className="mt-1 max-w-48 text-xs text-slate-600">
            When the file has no currency column: the vendor's currency otherwise.
          </p>
          {err('currency')}
        </div>
        <div>
          <label className="label" htmlFor={`${id}-sheet`}>
            Sheet (XLSX)
          </label>
          <input
            id={`${id}-sheet`}
            className="input w-48"
            value={sheet}
            onChange={(e) => setSheet(e.target.value)}
            aria-describedby={`${id}-sheet-hint`}
          />
          <p id={`${id}-sheet-hint`} className="mt-1 max-w-52 text-xs text-slate-600">
            Empty: the first sheet with a header row.
          </p>
        </div>
      </div>

      <fieldset className="space-y-1.5 text-sm">
        <legend className="label">Options</legend>
        <CheckOption checked={dryRun} onChange={setDryRun} title="Dry run first">
          Read and check every row and count what would change; write nothing.
        </CheckOption>
        <CheckOption checked={skipInvalid} onChange={setSkipInvalid} title="Skip invalid rows">
          Import the valid rows and report the rest. Off: one invalid row stops the whole file.
        </CheckOption>
        <CheckOption checked={force} onChange={setForce} title="Import again even if unchanged">
          The same file for the same vendor is normally skipped.
        </CheckOption>
      </fieldset>

      <button type="submit" className="btn btn-primary" disabled={busy}>
        {dryRun ? 'Upload and check (dry run)' : 'Upload and import'}
      </button>
    </form>
  );
}
