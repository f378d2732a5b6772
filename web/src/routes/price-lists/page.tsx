import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { hasRole, useLocale, useMe } from '../../api/session.ts';
import { DASH, formatInt } from '../../lib/format.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Section } from '../../ui/section.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { VendorsTabs } from '../../ui/vendors-tabs.tsx';
import { PriceListHistory, VendorPrices } from './history.tsx';
import { route } from './route.tsx';
import type { PriceListsSearch } from './search.ts';
import { UploadForm, type VendorItem } from './upload-form.tsx';
import { UploadStatus } from './upload-status.tsx';
import { useUpload } from './use-upload.ts';

function VendorsTable({
  vendors,
  selected,
  onSelect,
  locale,
}: {
  vendors: VendorItem[];
  selected: number | undefined;
  onSelect: (v: VendorItem) => void;
  locale: string;
}) {
  if (vendors.length === 0)
    return <Empty title="No vendors yet">The first price-list import creates one.</Empty>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Vendors</caption>
        <thead className="text-left text-xs text-slate-600">
          <tr>
            <th scope="col" className="px-2 py-1">
              Vendor
            </th>
            <th scope="col" className="px-2 py-1">
              Country
            </th>
            <th scope="col" className="px-2 py-1">
              Currency
            </th>
            <th scope="col" className="num px-2 py-1">
              Prices
            </th>
            <th scope="col" className="px-2 py-1">
              Last import
            </th>
          </tr>
        </thead>
        <tbody>
          {vendors.map((v) => (
            <tr key={v.id} className={`border-t border-slate-100 ${v.id === selected ? 'bg-blue-50' : ''}`}>
              <th scope="row" className="px-2 py-1 text-left font-normal">
                <button
                  type="button"
                  className="link text-left"
                  aria-pressed={v.id === selected}
                  onClick={() => onSelect(v)}
                >
                  {v.name}
                </button>
              </th>
              <td className="px-2 py-1">{v.country ?? DASH}</td>
              <td className="px-2 py-1">{v.currency ?? DASH}</td>
              <td className="num px-2 py-1">{formatInt(v.offers, locale)}</td>
              <td className="px-2 py-1">
                <RelativeTime value={v.last_import_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function PriceListsPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const me = useMe();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const canUpload = hasRole(me.role, 'ops');

  const vendorsQuery = useQuery({
    queryKey: ['vendors'],
    queryFn: ({ signal }) => api.get<{ items: VendorItem[] }>('/vendors', undefined, signal),
  });
  const vendors = vendorsQuery.data?.items ?? [];
  const selected = vendors.find((v) => v.id === search.vendor);

  const setSearch = useCallback(
    (patch: Partial<PriceListsSearch>) =>
      void navigate({ search: (prev: PriceListsSearch) => ({ ...prev, ...patch }), replace: true }),
    [navigate],
  );

  const [vendorName, setVendorName] = useState('');
  // the name field starts as the vendor chosen in the URL
  useEffect(() => {
    if (selected && vendorName === '') setVendorName(selected.name);
  }, [selected, vendorName]);

  const onVendorName = (name: string) => {
    setVendorName(name);
    const match = vendors.find((v) => v.name.toLowerCase() === name.trim().toLowerCase());
    if (match && match.id !== search.vendor) setSearch({ vendor: match.id, q: undefined, page: undefined });
  };
  const selectVendor = (v: VendorItem) => {
    setVendorName(v.name);
    setSearch({ vendor: v.id, q: undefined, page: undefined });
  };

  const upload = useUpload({
    jobFromUrl: search.job,
    onJobChange: (job) => setSearch({ job }),
    csrfToken: me.csrf_token,
    onImported: () => {
      void queryClient.invalidateQueries({ queryKey: ['vendors'] });
      void queryClient.invalidateQueries({ queryKey: ['price-lists'] });
      void queryClient.invalidateQueries({ queryKey: ['vendor-prices'] });
    },
  });
  // a real import of a new vendor: show that vendor's history once it exists
  const importedVendor =
    upload.state.kind === 'done' && upload.state.summary.dry_run === false
      ? upload.state.summary.vendor_id
      : null;
  useEffect(() => {
    if (importedVendor && importedVendor !== search.vendor) setSearch({ vendor: importedVendor });
  }, [importedVendor, search.vendor, setSearch]);

  const busy =
    upload.state.kind === 'uploading' || upload.state.kind === 'queued' || upload.state.kind === 'importing';
  const status = (
    <UploadStatus
      state={upload.state}
      hasFile={upload.hasFile}
      locale={locale}
      onAgain={(patch) => upload.again(patch)}
      onRetry={upload.retry}
      onReset={upload.reset}
    />
  );

  return (
    <div className="space-y-4">
      <VendorsTabs current="price-lists" />
      <PageHeader
        title="Vendors & price lists"
        description="Upload a vendor's price list, check it with a dry run, then import it. Each vendor's imports and current prices below."
      />
      <div className={canUpload ? 'grid gap-4 xl:grid-cols-2' : 'grid gap-4'}>
        {canUpload ? (
          <Section title="Upload a price list" description="Nothing is written until you import for real.">
            <UploadForm
              vendors={vendors}
              vendorName={vendorName}
              onVendorName={onVendorName}
              onSubmit={upload.start}
              busy={busy}
              locale={locale}
            />
          </Section>
        ) : null}
        <Section title="Vendors" description="Choose a vendor to see its price lists and prices.">
          {vendorsQuery.isPending ? (
            <Loading label="Loading vendors…" />
          ) : vendorsQuery.isError ? (
            <ErrorState
              error={vendorsQuery.error}
              title="Could not load the vendors"
              onRetry={() => void vendorsQuery.refetch()}
            />
          ) : (
            <VendorsTable
              vendors={vendors}
              selected={search.vendor}
              onSelect={selectVendor}
              locale={locale}
            />
          )}
        </Section>
      </div>

      {upload.state.kind !== 'idle' ? <div aria-live="polite">{status}</div> : null}

      {search.vendor && (selected || vendorsQuery.isPending) ? (
        <>
          <Section
            title={`Price lists of ${selected?.name ?? '…'}`}
            description="Every imported file, newest first."
          >
            <PriceListHistory vendorId={search.vendor} locale={locale} />
          </Section>
          <Section
            title={`Prices of ${selected?.name ?? '…'}`}
            description="The current cost of each item and its last five cost changes."
          >
            <VendorPrices
              vendorId={search.vendor}
              search={search.q}
              page={search.page ?? 1}
              onChange={(next) => setSearch(next)}
              locale={locale}
            />
          </Section>
        </>
      ) : search.vendor && vendorsQuery.isSuccess ? (
        <ErrorState error={new Error(`There is no vendor ${search.vendor}.`)} title="Unknown vendor" />
      ) : null}
    </div>
  );
}
