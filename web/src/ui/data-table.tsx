import {
  type ColumnDef,
  type ColumnVisibilityState,
  columnVisibilityFeature,
  type RowData,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useMemo, useRef } from 'react';

const features = tableFeatures({ columnVisibilityFeature, rowSortingFeature });

export interface DataColumn<T extends RowData> {
  id: string;
  /** Header text with the unit (`ROI %`, `Price €`). */
  header: string;
  cell: (row: T) => ReactNode;
  /** Numbers are right-aligned with tabular figures. */
  numeric?: boolean;
  /** Sortable on the server: clicking the header calls onSortChange(id). */
  sortable?: boolean;
  /** Can the column chooser hide it? (default true) */
  hideable?: boolean;
  /** Width in px (optional; the table sizes the rest). */
  width?: number;
  /** Explains the column on hover (e.g. the formula). */
  title?: string;
}

export interface Sort {
  id: string;
  order: 'asc' | 'desc';
}

export interface Selection<T> {
  isSelected: (row: T) => boolean;
  toggle: (row: T) => void;
  /** Select (true) or clear (false) every row of this page. */
  togglePage: (select: boolean) => void;
  /** The checkbox's accessible name for a row ("Select B08C6LPX2M"). */
  label: (row: T) => string;
}

export interface DataTableProps<T extends RowData> {
  columns: DataColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** What the table lists, for screen readers. */
  caption: string;
  sort?: Sort;
  onSortChange?: (id: string) => void;
  hidden?: readonly string[];
  selection?: Selection<T>;
  /** Opens the row's detail (click or Enter on the row). */
  onRowClick?: (row: T) => void;
  /** The row whose detail is open. */
  activeKey?: string | null;
  /** New data is on its way: the rows stay, dimmed slightly. */
  stale?: boolean;
  /** Shown instead of rows when there are none. */
  empty?: ReactNode;
  /** Height of the scrolling area (rows are virtualized inside it). */
  maxHeight?: string;
  /**
   * Names the scrolling area and makes it reachable by keyboard: for tables whose rows hold no
   * control, which a keyboard could not otherwise scroll (axe: scrollable-region-focusable).
   */
  scrollLabel?: string;
}

// Rows have one fixed height (cells do not wrap): measuring each rendered row forces a layout per
// row on every page change, which cost ~30 ms a page on a busy 2-core box.
const ROW_HEIGHT = 37;

/**
 * The grid: server-sorted and server-paged (the table only renders what it is given), header with
 * sort buttons and aria-sort, optional row selection, rows virtualized so a 200-row page paints fast.
 */
export function DataTable<T extends RowData>(props: DataTableProps<T>) {
  const { columns, rows, rowKey, caption, sort, onSortChange, hidden, selection, onRowClick, activeKey } =
    props;

  const defs = useMemo<ColumnDef<typeof features, T>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        accessorFn: (row: T) => row,
        cell: (ctx) => c.cell(ctx.row.original),
        enableSorting: Boolean(c.sortable),
        enableHiding: c.hideable !== false,
      })),
    [columns],
  );
  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);
  const columnVisibility = useMemo<ColumnVisibilityState>(
    () => Object.fromEntries((hidden ?? []).map((id) => [id, false])),
    [hidden],
  );
  const sorting = useMemo<SortingState>(
    () => (sort ? [{ id: sort.id, desc: sort.order === 'desc' }] : []),
    [sort],
  );

  const table = useTable({
    features,
    columns: defs,
    data: rows,
    getRowId: (row: T) => rowKey(row),
    manualSorting: true,
    state: { columnVisibility, sorting },
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const modelRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: modelRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => modelRows[i]!.id,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items.length > 0 ? items[0]!.start : 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const visible = table.getVisibleLeafColumns();
  const colCount = visible.length + (selection ? 1 : 0);
  const pageCount = modelRows.length;
  const pageSelected = selection ? modelRows.filter((r) => selection.isSelected(r.original)).length : 0;

  return (
    <div
      ref={scrollRef}
      {...(props.scrollLabel ? { role: 'region', 'aria-label': props.scrollLabel, tabIndex: 0 } : {})}
      // dimmed while the next rows load; aria-busy tells a screen reader the table is being replaced
      aria-busy={props.stale || undefined}
      className={`card overflow-auto transition-opacity ${props.stale ? 'opacity-70' : ''}`}
      style={{ maxHeight: props.maxHeight ?? 'calc(100vh - 16rem)' }}
    >
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 z-10 bg-slate-100 shadow-[0_1px_0_var(--color-slate-300)]">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {selection ? (
                <th scope="col" className="w-9 px-2 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select every row of this page"
                    checked={pageCount > 0 && pageSelected === pageCount}
                    ref={(el) => {
                      if (el) el.indeterminate = pageSelected > 0 && pageSelected < pageCount;
                    }}
                    onChange={(e) => selection.togglePage(e.target.checked)}
                  />
                </th>
              ) : null}
              {group.headers.map((header) => {
                const col = byId.get(header.column.id)!;
                const active = sort?.id === col.id;
                const ariaSort = active ? (sort!.order === 'asc' ? 'ascending' : 'descending') : undefined;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={ariaSort}
                    title={col.title}
                    style={col.width ? { minWidth: col.width, width: col.width } : undefined}
                    className={`px-2 py-2 font-semibold whitespace-nowrap text-slate-700 ${col.numeric ? 'num' : 'text-left'}`}
                  >
                    {col.sortable && onSortChange ? (
                      <button
                        type="button"
                        className={`inline-flex items-center gap-1 hover:underline ${col.numeric ? 'flex-row-reverse' : ''}`}
                        onClick={() => onSortChange(col.id)}
                      >
                        <span>{col.header}</span>
                        <span aria-hidden className={active ? 'text-slate-900' : 'text-slate-400'}>
                          {active ? (sort!.order === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    ) : (
                      col.header
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {modelRows.length === 0 ? (
            <tr>
              <td colSpan={colCount} className="p-4">
                {props.empty ?? 'No rows.'}
              </td>
            </tr>
          ) : null}
          {padTop > 0 ? (
            <tr aria-hidden>
              <td colSpan={colCount} style={{ height: padTop, padding: 0 }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = modelRows[item.index]!;
            const key = row.id;
            const isActive = activeKey === key;
            const isSelected = selection?.isSelected(row.original) ?? false;
            return (
              <tr
                key={key}
                data-index={item.index}
                aria-selected={selection ? isSelected : undefined}
                style={{ height: ROW_HEIGHT }}
                className={`border-b border-slate-100 ${onRowClick ? 'cursor-pointer' : ''} ${
                  isActive ? 'bg-blue-50' : isSelected ? 'bg-sky-50/60' : 'hover:bg-slate-50'
                }`}
                onClick={(e) => {
                  // clicks on controls inside the row (checkbox, links, buttons) are theirs
                  if ((e.target as HTMLElement).closest('a,button,input,label,select')) return;
                  onRowClick?.(row.original);
                }}
              >
                {selection ? (
                  <td className="w-9 px-2 py-1.5">
                    <input
                      type="checkbox"
                      aria-label={selection.label(row.original)}
                      checked={isSelected}
                      onChange={() => selection.toggle(row.original)}
                    />
                  </td>
                ) : null}
                {row.getVisibleCells().map((cell) => {
                  const col = byId.get(cell.column.id)!;
                  return (
                    <td
                      key={cell.id}
                      className={`px-2 py-1 whitespace-nowrap ${col.numeric ? 'num' : ''}`}
                      style={col.width ? { maxWidth: col.width } : undefined}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {padBottom > 0 ? (
            <tr aria-hidden>
              <td colSpan={colCount} style={{ height: padBottom, padding: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
