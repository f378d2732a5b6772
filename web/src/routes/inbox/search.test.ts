import { describe, expect, it } from 'vitest';
import type { Task } from '../../api/tasks.ts';
import { groupTasks, step } from './group.ts';
import { openActionHref, taskLinks } from './links.ts';
import { pickedInOrder, rangePick, togglePick } from './pick.ts';
import { hasFilters, inboxApiQuery, parseInboxSearch, updateInboxSearch } from './search.ts';
import { untilDate } from './snooze.tsx';

describe('inbox URL state', () => {
  it('keeps known filters, drops defaults and bad values', () => {
    expect(
      parseInboxSearch({
        group: 'vendor',
        state: 'open,snoozed',
        type: 'reorder,nonsense',
        severity: 'critical',
        asin: 'b0abcdefgh',
        task: '12',
        page: '2',
      }),
    ).toEqual({
      group: 'vendor',
      state: ['open', 'snoozed'],
      type: ['reorder'],
      severity: ['critical'],
      asin: 'B0ABCDEFGH',
      task: 12,
      page: 2,
    });
    expect(
      parseInboxSearch({ group: 'type', state: 'open', severity: 'critical,warning,info', page: 1 }),
    ).toEqual({});
    expect(parseInboxSearch({ state: 'x', task: '-1', asin: 'short', page_size: '500' })).toEqual({});
  });

  it('goes back to page 1 on a filter change, not when grouping or opening a task', () => {
    expect(updateInboxSearch({ page: 3 }, { type: ['reorder'] })).toEqual({ type: ['reorder'] });
    expect(updateInboxSearch({ page: 3 }, { group: 'vendor', task: 4 })).toEqual({
      page: 3,
      group: 'vendor',
      task: 4,
    });
  });

  it('asks the API for open tasks, most severe first, by default', () => {
    expect(inboxApiQuery({})).toEqual({ state: 'open', sort: 'severity', page: 1, page_size: 50 });
    expect(inboxApiQuery({ vendor: 3, severity: ['critical', 'warning'] })).toMatchObject({
      vendor_id: 3,
      severity: 'critical,warning',
    });
  });
});

const task = (id: number, type: string, vendor_id: number | null) => ({ id, type, vendor_id }) as Task;

describe('grouping and moving through the list', () => {
  const rows = [
    task(1, 'reorder', 2),
    task(2, 'price_war', null),
    task(3, 'reorder', 1),
    task(4, 'fee_change', 2),
  ];

  it('groups in the order of their most urgent task, each keeping the API order', () => {
    const byType = groupTasks(rows, 'type', () => undefined);
    expect(byType.map((g) => [g.label, g.tasks.map((t) => t.id)])).toEqual([
      ['Reorders', [1, 3]],
      ['Price wars', [2]],
      ['Amazon fee changes', [4]],
    ]);
    const byVendor = groupTasks(rows, 'vendor', (id) => (id === 2 ? 'Acme' : undefined));
    expect(byVendor.map((g) => [g.label, g.tasks.map((t) => t.id)])).toEqual([
      ['Acme', [1, 4]],
      ['No vendor', [2]],
      ['Vendor #1', [3]],
    ]);
  });

  it('steps to the next or previous row and stays at the ends', () => {
    expect(step([5, 6, 7], null, 1)).toBe(5);
    expect(step([5, 6, 7], 5, 1)).toBe(6);
    expect(step([5, 6, 7], 7, 1)).toBe(7);
    expect(step([5, 6, 7], 5, -1)).toBe(5);
    expect(step([5, 6, 7], 99, -1)).toBe(5);
    expect(step([], 5, 1)).toBeNull();
  });
});

describe('task links', () => {
  it('turns links and open actions into app addresses', () => {
    expect(
      taskLinks(
        { asin: 'B0ABCDEFGH', vendor_id: 3, plan_id: 7, run_id: 'C0A80101-0000-4000-8000-000000000001' },
        'Acme',
      ),
    ).toEqual([
      { label: 'SKU page of B0ABCDEFGH', href: '/sku/B0ABCDEFGH' },
      { label: 'Vendor: Acme', href: '/vendors?vendor=3' },
      { label: 'Restock plan', href: '/restock?plan=7' },
      { label: 'Repricer run', href: '/repricer?tab=log&run=c0a80101-0000-4000-8000-000000000001' },
    ]);
    expect(taskLinks({ agent: 'keepa', run_id: 12 })).toEqual([
      { label: 'Agent runs of keepa', href: '/agents?agent=keepa' },
    ]);
    expect(openActionHref({ page: 'sku', asin: 'B0ABCDEFGH' })).toBe('/sku/B0ABCDEFGH');
    expect(openActionHref({ page: 'vendor', vendor_id: 3, price_list_id: 9 })).toBe('/price-lists?vendor=3');
    expect(openActionHref({ page: 'elsewhere' })).toBeUndefined();
  });
});

describe('snoozing until a date', () => {
  const now = new Date(2026, 2, 10, 12, 0, 0);
  it('means 8:00 that morning, 1 to 365 days ahead', () => {
    expect(untilDate('2026-03-13', now)).toEqual(new Date(2026, 2, 13, 8, 0, 0));
    expect(untilDate('2026-03-10', now)).toBeNull();
    expect(untilDate('2027-06-01', now)).toBeNull();
    expect(untilDate('13.03.2026', now)).toBeNull();
  });
});

describe('inbox: assignee filter and ticked tasks', () => {
  it('keeps an assignee in the URL and sends it to the API', () => {
    expect(parseInboxSearch({ assignee: ' anna@example.com ' })).toEqual({ assignee: 'anna@example.com' });
    expect(parseInboxSearch({ assignee: 'x'.repeat(201) })).toEqual({});
    expect(inboxApiQuery({ assignee: 'anna@example.com' })).toMatchObject({ assignee: 'anna@example.com' });
    expect(hasFilters({ assignee: 'anna@example.com' })).toBe(true);
  });

  it('ticks one, a shift-click range, and forgets tasks that left the list', () => {
    const order = [10, 11, 12, 13, 14];
    const one = togglePick(new Set(), 11);
    expect([...one]).toEqual([11]);
    const range = rangePick(one, order, 11, 13);
    expect(pickedInOrder(range, order)).toEqual([11, 12, 13]);
    // shift-click on a ticked row unticks the range
    expect(pickedInOrder(rangePick(range, order, 13, 12), order)).toEqual([11]);
    // no anchor in the list: a plain toggle
    expect([...rangePick(new Set(), order, 99, 14)]).toEqual([14]);
    expect(pickedInOrder(new Set([14, 99, 10]), order)).toEqual([10, 14]);
    expect([...togglePick(new Set([10]), 10)]).toEqual([]);
  });
});
