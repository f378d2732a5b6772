/**
 * A carrier's rate-card host for the logistics agent's tests: a real HTTP server on 127.0.0.1 that
 * serves cards with ETag and Last-Modified (answering HEAD and If-None-Match like a web server), and
 * can be told to answer a status, stall before or during the body, answer slowly, or break off.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedCard {
  body: string | Buffer;
  contentType?: string;
  /** Defaults to a quoted hash of the body; null sends none. */
  etag?: string | null;
  /** An HTTP date; defaults to a fixed one; null sends none. */
  lastModified?: string | null;
}

export type Trouble =
  /** Answer this status (with a short text body) for the next `times` requests (default: all). */
  | { kind: 'status'; status: number; times?: number }
  /** Accept the request and never answer. */
  | { kind: 'stall_headers' }
  /** Send the headers and half the body, then go silent (HEAD is answered normally). */
  | { kind: 'stall_body' }
  /** Send the headers and half the body, then drop the connection. */
  | { kind: 'break_off' }
  /** Wait this long before answering normally. */
  | { kind: 'slow'; delayMs: number };

export interface RateCardServer {
  url: string;
  /** `url` + path. */
  at(path: string): string;
  serve(path: string, card: ServedCard): void;
  trouble(path: string, t: Trouble | null): void;
  /** Requests for `path` (of one method when given). */
  hits(path: string, method?: string): number;
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Tue, 01 Sep 2026 08:00:00 GMT';

export async function startRateCardServer(): Promise<RateCardServer> {
  const cards = new Map<string, ServedCard>();
  const troubles = new Map<string, Trouble>();
  const log: { method: string; path: string }[] = [];

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    log.push({ method, path });
    const t = troubles.get(path);
    const card = cards.get(path);
    const answer = () => {
      if (!card) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such rate card');
        return;
      }
      const body = Buffer.isBuffer(card.body) ? card.body : Buffer.from(card.body);
      const etag =
        card.etag === undefined
          ? `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`
          : card.etag;
      const headers: Record<string, string> = {
        'content-type': card.contentType ?? 'text/csv; charset=utf-8',
        'content-length': String(body.length),
      };
      if (etag) headers.etag = etag;
      const lm = card.lastModified === undefined ? LAST_MODIFIED : card.lastModified;
      if (lm) headers['last-modified'] = lm;
      if (etag && req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      if (method !== 'HEAD' && (t?.kind === 'stall_body' || t?.kind === 'break_off')) {
        res.writeHead(200, headers);
        res.write(body.subarray(0, body.length >> 1));
        if (t.kind === 'break_off') setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.writeHead(200, headers).end(method === 'HEAD' ? undefined : body);
    };
    if (t?.kind === 'status') {
      if (t.times !== undefined && --t.times <= 0) troubles.delete(path);
      res.writeHead(t.status, { 'content-type': 'text/plain' }).end(`status ${t.status}`);
      return;
    }
    if (t?.kind === 'stall_headers') return;
    if (t?.kind === 'slow') {
      setTimeout(answer, t.delayMs);
      return;
    }
    answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    at: (path) => `${url}${path}`,
    serve: (path, card) => {
      cards.set(path, card);
    },
    trouble: (path, t) => {
      if (t) troubles.set(path, { ...t });
      else troubles.delete(path);
    },
    hits: (path, method) => log.filter((r) => r.path === path && (!method || r.method === method)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
