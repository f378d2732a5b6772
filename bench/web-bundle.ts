import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFigures {
  /** The entry script plus every chunk index.html preloads: what a first visit must fetch. */
  first_load_js_gzip_kb: number;
  css_gzip_kb: number;
  /** Every other chunk (a page or a library only one page uses), largest first. */
  lazy_chunks_gzip_kb: { file: string; kb: number }[];
  budgets: { first_load_js_kb: 170; css_kb: 20; lazy_chunk_kb: 70 };
  within_budget: boolean;
}

const kb = (file: string) => Math.round((gzipSync(readFileSync(file), { level: 9 }).length / 1024) * 10) / 10;

/**
 * Gzipped sizes of the built web app (dist/web), measured the way a browser downloads it: the
 * scripts and styles index.html references are the first load, the other chunks load with a page.
 */
export function bundleFigures(dir: string): BundleFigures {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+)"/g)].map((m) => m[1]!);
  const assets = readdirSync(path.join(dir, 'assets')).map((f) => `assets/${f}`);
  const size = (files: string[]) =>
    Math.round(files.reduce((s, f) => s + kb(path.join(dir, f)), 0) * 10) / 10;
  const first = refs.filter((f) => f.endsWith('.js'));
  const css = assets.filter((f) => f.endsWith('.css'));
  const lazy = assets
    .filter((f) => f.endsWith('.js') && !first.includes(f) && statSync(path.join(dir, f)).isFile())
    .map((file) => ({ file, kb: kb(path.join(dir, file)) }))
    .sort((a, b) => b.kb - a.kb);
  const figures = {
    first_load_js_gzip_kb: size(first),
    css_gzip_kb: size(css),
    lazy_chunks_gzip_kb: lazy,
    budgets: { first_load_js_kb: 170, css_kb: 20, lazy_chunk_kb: 70 } as const,
  };
  return {
    ...figures,
    within_budget:
      figures.first_load_js_gzip_kb <= 170 && figures.css_gzip_kb <= 20 && lazy.every((c) => c.kb <= 70),
  };
}
