import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TObject, type TProperties, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { Paged, withErrors } from '../../http/schemas.ts';
import { formBool } from '../../http/upload.ts';
import { AppError } from '../../platform/errors.ts';
import { LIVE_APPLY_MAX } from './apply.service.ts';
import * as history from './history.service.ts';
import * as pricing from './pricing.service.ts';
import { RepricerRun, RepricerSettings, RulesSaved, Simulated } from './repricer.schemas.ts';
import * as rules from './rules.service.ts';

/** A rules file is a few thousand lines; this is far more than any real one. */
const RULES_FILE_MAX_BYTES = 20 * 1024 ** 2;

const csvResponse = (description: string) =>
  withErrors({
    200: {
      description,
      // produced while the client reads it, never serialised: the schema only documents it
      content: { 'text/csv': { schema: Type.Unsafe<string | Readable>(Type.String()) } },
    },
  });

/** The routes the web app's repricer page adds: simulation by page, runs, CSVs, rule-file import. */
export async function repricerPageRoutes(
  fastify: FastifyInstance,
  deps: HttpDeps,
  schemas: { logQuery: TObject; rulesQuery: TObject; page: TProperties },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const marketplace = deps.config.AWA_MARKETPLACE;
  const { rulesQuery } = schemas;
  const { page: _p, page_size: _s, ...rulesFilter } = rulesQuery.properties;

  app.get(
    '/repricer/settings',
    {
      schema: {
        tags: ['repricer'],
        summary: "The repricer's mode and limits (from the environment)",
        response: withErrors({ 200: RepricerSettings }),
      },
    },
    async () => ({
      marketplace,
      currency: deps.config.AWA_CURRENCY,
      mode: deps.config.REPRICER_MODE,
      min_roi: deps.config.REPRICER_MIN_ROI,
      max_step_pct: deps.config.REPRICER_MAX_STEP_PCT,
      breaker_pct: deps.config.REPRICER_BREAKER_PCT,
      live_apply_max: LIVE_APPLY_MAX,
    }),
  );

  app.get(
    '/repricer/simulation',
    {
      schema: {
        tags: ['repricer'],
        summary:
          'Active listings (SKU prefix filter, SKU order), paged, each with what the repricer would decide now; writes nothing',
        querystring: Type.Object(
          {
            sku: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'SKU prefix' })),
            ...schemas.page,
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Paged(Simulated) }),
      },
    },
    async (req) => {
      const q = req.query as { sku?: string; page: number; page_size: number };
      return pricing.simulateListings(deps, q);
    },
  );

  app.get(
    '/repricer/runs',
    {
      schema: {
        tags: ['repricer'],
        summary: 'The newest repricer runs (agent runs and applied changes), newest first',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ items: Type.Array(RepricerRun) }) }),
      },
    },
    async (req) => history.listRuns(deps.db, marketplace, req.query.limit),
  );

  app.get(
    '/repricer/log.csv',
    {
      schema: {
        tags: ['repricer'],
        summary: 'Every decision GET /repricer/log matches (same filters and order, no paging) as CSV',
        querystring: schemas.logQuery,
        response: csvResponse('CSV (RFC 4180) as the attachment awa-repricer-log-<YYYY-MM-DD>.csv'),
      },
    },
    async (req, reply) => {
      const { filename, lines } = history.exportLog(
        deps.db,
        marketplace,
        req.query as history.LogQuery,
        deps.clock.now(),
      );
      const body = Readable.from(lines);
      body.on('error', (err) => req.log.error({ err }, 'repricer log csv export failed'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(body);
    },
  );

  app.get(
    '/repricer/rules.csv',
    {
      schema: {
        tags: ['repricer'],
        summary: 'The rules GET /repricer/rules matches, as a CSV the rule import reads back',
        querystring: Type.Object(rulesFilter, { additionalProperties: false }),
        response: csvResponse('CSV (RFC 4180) as the attachment awa-repricer-rules-<YYYY-MM-DD>.csv'),
      },
    },
    async (req, reply) => {
      const list = await rules.allRules(
        deps.db,
        marketplace,
        req.query as { sku?: string; enabled?: boolean },
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="awa-repricer-rules-${deps.clock.now().toISOString().slice(0, 10)}.csv"`,
        )
        .send(history.rulesCsv(list));
    },
  );

  app.post(
    '/repricer/rules/import',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['repricer'],
        summary:
          'Import a rules file (multipart: file [+ dry_run, default true]); all rows or none: any problem → 400 with every line, column, value and reason',
        consumes: ['multipart/form-data'],
        response: withErrors({
          200: Type.Object({ ...RulesSaved.properties, file: Type.String(), rows: Type.Integer() }),
        }),
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError('invalid', 'send multipart/form-data with a "file" part');
      const dir = await mkdtemp(path.join(os.tmpdir(), 'awa-rules-'));
      try {
        let dryRun = true;
        let fileName: string | undefined;
        let stored: string | undefined;
        for await (const part of req.parts({ limits: { fileSize: RULES_FILE_MAX_BYTES, files: 1 } })) {
          if (part.type !== 'file') {
            if (part.fieldname === 'dry_run') dryRun = formBool('dry_run', String(part.value ?? ''));
            continue;
          }
          const file = part as MultipartFile;
          fileName = path.basename(file.filename || 'rules.csv');
          // the reader picks CSV/TSV/XLSX by extension: keep the user's, not their name
          stored = path.join(dir, `upload${path.extname(fileName).toLowerCase().slice(0, 8)}`);
          await pipeline(file.file, createWriteStream(stored));
          if (file.file.truncated) {
            throw new AppError(
              'payload_too_large',
              `the file is larger than the rules file limit of ${RULES_FILE_MAX_BYTES} bytes`,
            );
          }
        }
        if (!stored || !fileName) throw new AppError('invalid', 'the upload has no file part');
        const out = await rules.importRules(deps.db, {
          file: stored,
          fileName,
          dryRun,
          by: req.principal!.name,
          marketplace,
          maxUncompressedBytes: deps.config.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
        });
        req.auditEvent = {
          event: 'repricer_rules_import',
          details: {
            file: fileName,
            dry_run: dryRun,
            rules: out.rules,
            inserted: out.inserted,
            updated: out.updated,
          },
        };
        return out;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}
