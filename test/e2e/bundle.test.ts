import { describe, expect, it } from 'vitest';
import { bundleFigures } from '../../bench/web-bundle.ts';
import { ensureWebBuilt } from './browser.ts';

// The web app's size budgets (issue 12, SPEC §16) hold for the build the API serves: sizes, not
// timings, so they are exact and stable on any machine. A new dependency that blows the budget fails
// here with the figures, instead of slowing every first visit.
describe('the built web app', () => {
  it('stays within its gzipped budgets: first load ≤ 170 KB JS, CSS ≤ 20 KB, each lazy chunk ≤ 70 KB', () => {
    const f = bundleFigures(ensureWebBuilt());
    const tooBig = f.lazy_chunks_gzip_kb.filter((c) => c.kb > 70);
    expect(
      { first: f.first_load_js_gzip_kb <= 170, css: f.css_gzip_kb <= 20, tooBig },
      JSON.stringify(f),
    ).toEqual({ first: true, css: true, tooBig: [] });
    // every page is its own lazy chunk: the first load must not carry the chart library
    expect(f.lazy_chunks_gzip_kb.some((c) => c.file.includes('sku-chart'))).toBe(true);
  });
});
