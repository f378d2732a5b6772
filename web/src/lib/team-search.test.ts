import { describe, expect, it } from 'vitest';
import { auditCsvHref, auditQuery, parseTeamSearch, updateTeamSearch } from './team-search.ts';

describe('parseTeamSearch', () => {
  it('keeps valid values and leaves defaults out', () => {
    expect(
      parseTeamSearch({
        tab: 'audit',
        actor: ' ada@example.com ',
        action: 'login',
        from: '2026-03-01',
        to: '2026-03-31',
        only: 'events',
        page: '3',
        page_size: '100',
      }),
    ).toEqual({
      tab: 'audit',
      actor: 'ada@example.com',
      action: 'login',
      from: '2026-03-01',
      to: '2026-03-31',
      only: 'events',
      page: 3,
      page_size: 100,
    });
    expect(parseTeamSearch({ tab: 'users', only: 'writes', page: 1, page_size: 50 })).toEqual({});
  });

  it('drops a bad value instead of failing the page', () => {
    expect(
      parseTeamSearch({
        tab: 'secrets',
        from: '2026-02-30',
        to: 'yesterday',
        only: 'some',
        page: '0',
        page_size: '7',
      }),
    ).toEqual({});
    expect(parseTeamSearch({ actor: 'x'.repeat(300), action: '   ' })).toEqual({});
  });
});

describe('updateTeamSearch', () => {
  it('goes back to page 1 when a filter changes, not when the page or tab does', () => {
    const s = { tab: 'audit' as const, actor: 'ada', page: 4 };
    expect(updateTeamSearch(s, { action: 'login' })).toEqual({ tab: 'audit', actor: 'ada', action: 'login' });
    expect(updateTeamSearch(s, { page: 5 })).toEqual({ tab: 'audit', actor: 'ada', page: 5 });
    expect(updateTeamSearch(s, { actor: '' })).toEqual({ tab: 'audit' });
  });
});

describe('auditQuery and the CSV link', () => {
  it('asks for writes by default and for everything when told', () => {
    expect(auditQuery({})).toEqual({ only: 'writes', page: 1, page_size: 50 });
    expect(auditQuery({ only: 'all', page: 2 })).toMatchObject({ only: undefined, page: 2 });
  });

  it('downloads the whole filtered set: same filters, no paging', () => {
    expect(auditCsvHref({ actor: 'ada@example.com', from: '2026-03-01', page: 3, page_size: 100 })).toBe(
      '/api/v1/team/audit.csv?actor=ada%40example.com&from=2026-03-01&only=writes',
    );
    expect(auditCsvHref({ only: 'all' })).toBe('/api/v1/team/audit.csv');
  });
});
