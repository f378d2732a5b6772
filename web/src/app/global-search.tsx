import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { type SearchHit, searchQuery } from '../api/search.ts';
import { skuHref } from '../lib/links.ts';

const MAX_Q = 64;
const DEBOUNCE_MS = 200;

const MATCHED: Record<string, string> = { asin: 'ASIN', sku: 'SKU', ean: 'EAN', title: 'title' };

function useDebounced(value: string, ms: number): string {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * The top bar's search (ARIA combobox with a listbox): ASIN, SKU, EAN or title. Arrows move through
 * the results, Enter opens one; Enter on an exact ASIN/SKU/EAN match jumps straight to its SKU page;
 * Escape closes the list (and clears the box when already closed).
 */
export function GlobalSearch() {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const q = text.trim().slice(0, MAX_Q);
  const debounced = useDebounced(q, DEBOUNCE_MS);
  const result = useQuery(searchQuery(debounced));
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const items = result.data?.items ?? [];
  const showList = open && q.length > 0;

  function go(hit: SearchHit | string) {
    const asin = typeof hit === 'string' ? hit : hit.asin;
    setOpen(false);
    setActive(-1);
    setText('');
    void navigate({ href: skuHref(asin) });
  }

  async function enter() {
    if (active >= 0 && items[active]) return go(items[active]!);
    if (!q) return;
    // typed fast and pressed Enter: ask now rather than wait for the debounce
    const data = await queryClient.fetchQuery(searchQuery(q));
    if (data.exact) return go(data.exact);
    if (data.items.length === 1) return go(data.items[0]!);
    setOpen(true);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setOpen(true);
        setActive((a) => (items.length === 0 ? -1 : (a + 1) % items.length));
        break;
      case 'ArrowUp':
        e.preventDefault();
        setOpen(true);
        setActive((a) => (items.length === 0 ? -1 : a <= 0 ? items.length - 1 : a - 1));
        break;
      case 'Enter':
        e.preventDefault();
        void enter();
        break;
      case 'Escape':
        if (showList) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        } else setText('');
        break;
    }
  }

  const status = result.isFetching
    ? 'Searching…'
    : result.error
      ? `Search failed: ${(result.error as Error).message}`
      : debounced && items.length === 0
        ? 'Nothing matches'
        : '';

  return (
    <div className="relative">
      <label htmlFor={`${id}-input`} className="sr-only">
        Search ASIN, SKU, EAN or title
      </label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${id}-opt-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        maxLength={MAX_Q}
        placeholder="Search ASIN, SKU, EAN or title"
        className="input w-full"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <div
        className={
          showList
            ? 'absolute top-full right-0 left-0 z-40 mt-1 max-h-96 overflow-auto rounded-md border border-slate-200 bg-white shadow-lg'
            : 'hidden'
        }
      >
        <div id={listId} role="listbox" aria-label="Search results">
          {items.map((hit, i) => (
            // focus stays in the input (aria-activedescendant): options are reachable, not tab stops
            <div
              key={`${hit.asin}-${hit.sku ?? ''}`}
              id={`${id}-opt-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={`cursor-pointer px-3 py-2 text-sm ${i === active ? 'bg-blue-50' : 'hover:bg-slate-50'}`}
              // mousedown, not click: the input's blur would close the list before the click lands
              onMouseDown={(e) => {
                e.preventDefault();
                go(hit);
              }}
            >
              <div className="flex items-baseline gap-2">
                <span className="font-mono text-xs text-slate-700">{hit.asin}</span>
                <span className="truncate text-slate-900">{hit.title ?? '(no title)'}</span>
              </div>
              <div className="text-xs text-slate-500">
                matched by {MATCHED[hit.matched] ?? hit.matched}
                {hit.sku ? ` · SKU ${hit.sku}` : ''}
                {hit.ean ? ` · EAN ${hit.ean}` : ''}
              </div>
            </div>
          ))}
        </div>
        {status ? <p className="px-3 py-2 text-sm text-slate-600">{status}</p> : null}
      </div>
      <span className="sr-only" aria-live="polite">
        {showList && !result.isFetching && debounced ? `${items.length} results` : ''}
      </span>
    </div>
  );
}
