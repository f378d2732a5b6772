import { once } from 'node:events';
import { createWriteStream, openAsBlob, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportSummary } from '../src/domains/vendors/import.service.ts';
import {
  type BenchDb,
  createToken,
  expectEqual,
  freshBenchDb,
  procMemMb,
  type RssSamples,
  type RunningAwa,
  round,
  sampleRss,
  secondsSince,
  sleep,
  startAwa,
} from './roi-harness.ts';

/**
 * Price-list upload over HTTP on this machine: a generated CSV (~100 MB, and a ~10 MB control)
 * POSTed as multipart with a streaming body (fetch + FormData + fs.openAsBlob) to
 * `awa start --roles api,worker` (child process, local storage, fresh embedded PostgreSQL), then
 * the import job followed at GET /api/v1/jobs/{id}. The server's RSS is sampled from /proc every
 * 100 ms: before, during the upload and during the import. The point: memory stays flat, whatever
 * the file size.
 */

const HEADER = 'Artikelnummer;EAN;Bezeichnung;Einkaufspreis;VPE;Mindestmenge;Lieferzeit';
const NOUNS = ['Küchenmesser', 'Gießkanne', 'Bürste', 'Wärmflasche', 'Fußmatte', 'Türstopper', 'Kühlbox'];
const ADJECTIVES = ['groß', 'klein', 'rostfrei', 'wasserdicht', 'für Kinder', 'mit Griff', 'ökologisch'];
const COLOURS = ['schwarz', 'weiß', 'grau', 'anthrazit', 'grün', 'blau'];
const BRANDS = ['Müller', 'Schäfer', 'Köhler', 'Bäcker & Söhne', 'Löwe', 'Hübner', 'Jäger'];

function gs1Check(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

/** A German vendor CSV (BOM, CRLF, `;`, title lines, `1.234,56`) of at least `bytes`, streamed to disk. */
async function generateCsv(
  file: string,
  bytes: number,
  sku: string,
): Promise<{ rows: number; bytes: number }> {
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  let buf =
    '\ufeffPreisliste Großhandel Müller & Söhne GmbH;;;;;;\r\n' +
    'Gültig ab 01.03.2025 – alle Preise netto in EUR zzgl. MwSt.;;;;;;\r\n' +
    `${HEADER}\r\n`;
  let written = Buffer.byteLength(buf);
  let rows = 0;
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const pick = (a: string[]) => a[Math.floor(rand() * a.length)]!;
  while (written < bytes) {
    const body = `400${String(rows * 7 + 3_000_003).padStart(9, '0')}`;
    const cents = 50 + Math.floor(rand() ** 2 * 200_000);
    const euros = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    const title =
      `${pick(BRANDS)} ${pick(NOUNS)} ${pick(ADJECTIVES)}, ${pick(COLOURS)}, ${10 + (rows % 90)} cm – ` +
      `Art. ${rows}`;
    const line =
      `${sku}-${String(rows).padStart(8, '0')};${body}${gs1Check(body)};${title};` +
      `${euros},${String(cents % 100).padStart(2, '0')};${1 + Math.floor(rand() * 12)};` +
      `${Math.floor(rand() * 51)};${1 + Math.floor(rand() * 20)}\r\n`;
    buf += line;
    written += Buffer.byteLength(line);
    rows += 1;
    if (buf.length >= 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await closed;
  return { rows, bytes: statSync(file).size };
}

interface JobStatus {
  status: string;
  queue_state: string;
  result?: ImportSummary;
  error?: string;
  created_on?: string;
  started_on?: string;
  completed_on?: string;
}

const mem = (s: RssSamples) => ({ peak_mb: s.peak_mb, mean_mb: s.mean_mb, samples: s.samples });

async function uploadAndImport(
  server: RunningAwa,
  token: string,
  file: string,
  vendor: string,
  rows: number,
) {
  const auth = { authorization: `Bearer ${token}` };
  const form = new FormData();
  form.set('vendor', vendor);
  // a file-backed Blob: fetch streams it from disk instead of reading it into memory
  form.set('file', await openAsBlob(file), path.basename(file));
  const before = procMemMb(server.pid).rss;

  const upSampler = sampleRss(server.pid);
  const t0 = performance.now();
  const res = await fetch(`${server.base}/api/v1/price-lists`, { method: 'POST', headers: auth, body: form });
  const body = await res.text();
  const uploadS = secondsSince(t0);
  const up = upSampler.stop();
  if (res.status !== 202) throw new Error(`upload bench: POST /price-lists answered ${res.status}: ${body}`);
  const queued = JSON.parse(body) as { job_id: string; size: number };
  expectEqual('stored size', queued.size, statSync(file).size);

  const imSampler = sampleRss(server.pid);
  const t1 = performance.now();
  let job: JobStatus;
  for (;;) {
    const r = await fetch(`${server.base}/api/v1/jobs/${queued.job_id}`, { headers: auth });
    job = (await r.json()) as JobStatus;
    if (job.status === 'success') break;
    if (['failed', 'skipped', 'cancelled'].includes(job.status) || performance.now() - t1 > 900_000) {
      imSampler.stop();
      throw new Error(
        `upload bench: job ${queued.job_id} ended ${job.status}: ${JSON.stringify(job).slice(0, 2000)}`,
      );
    }
    await sleep(100);
  }
  const importS = secondsSince(t1);
  const im = imSampler.stop();
  const s = job.result!;
  expectEqual('job rows', s.rows, rows);
  expectEqual('job inserted', s.inserted, rows);
  const ms = (a?: string, b?: string) => (a && b ? Date.parse(b) - Date.parse(a) : null);
  const mbPerS = statSync(file).size / 2 ** 20 / uploadS;
  return {
    file_mb: round(statSync(file).size / 2 ** 20, 1),
    rows: s.rows,
    inserted: s.inserted,
    upload_s: uploadS,
    upload_mb_per_s: round(mbPerS, 1),
    import_s: importS,
    import_rows_per_s: Math.round(rows / importS),
    job_queue_wait_ms: ms(job.created_on, job.started_on),
    job_run_ms: ms(job.started_on, job.completed_on),
    import_duration_ms: s.duration_ms,
    server_rss_mb: {
      before: before,
      upload: mem(up),
      import: mem(im),
      peak_growth_upload: up.peak_mb - before,
      peak_growth_import: im.peak_mb - before,
    },
  };
}

export async function benchUpload(opts: { mb: number }) {
  const loadBefore = os.loadavg().map((x) => round(x));
  let bench: BenchDb | undefined;
  let server: RunningAwa | undefined;
  try {
    bench = await freshBenchDb('upload');
    const small = path.join(bench.tmp, 'preisliste-klein.csv');
    const large = path.join(bench.tmp, 'preisliste.csv');
    console.error(`upload: generating ${opts.mb} MB and ${Math.round(opts.mb / 10)} MB CSVs…`);
    const t0 = performance.now();
    const smallGen = await generateCsv(small, (opts.mb / 10) * 2 ** 20, 'K');
    const largeGen = await generateCsv(large, opts.mb * 2 ** 20, 'G');
    const generateS = secondsSince(t0);

    const env = bench.env({ UPLOAD_MAX_BYTES: String(Math.max(2 ** 30, 2 * largeGen.bytes)) });
    const token = await createToken(env, 'ops');
    server = await startAwa(['--roles', 'api,worker'], env, path.join(bench.tmp, 'awa-start.log'));
    await sleep(3000); // let start-up garbage settle
    const idle = procMemMb(server.pid).rss;

    console.error('upload: small file…');
    const first = await uploadAndImport(server, token, small, 'Upload Klein GmbH', smallGen.rows);
    console.error(`upload: ${opts.mb} MB file…`);
    const second = await uploadAndImport(server, token, large, 'Upload Bench GmbH', largeGen.rows);
    const hwm = procMemMb(server.pid).hwm;
    await server.stop();
    return {
      load_average: { before: loadBefore, after: os.loadavg().map((x) => round(x)) },
      generate_s: generateS,
      server_start_ms: server.start_ms,
      server_rss_idle_mb: idle,
      control_small: first,
      large: second,
      server_peak_rss_lifetime_mb: hwm,
      // each phase's peak above the RSS just before that file's upload, small file vs large
      peak_growth_mb: {
        file_mb: [first.file_mb, second.file_mb],
        upload: [first.server_rss_mb.peak_growth_upload, second.server_rss_mb.peak_growth_upload],
        import: [first.server_rss_mb.peak_growth_import, second.server_rss_mb.peak_growth_import],
      },
    };
  } finally {
    await server?.stop().catch(() => {});
    await bench?.close();
  }
}
