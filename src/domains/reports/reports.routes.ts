import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, Day, Literals, Nullable, Paged, withErrors } from '../../http/schemas.ts';
import { formBool, receiveUpload } from '../../http/upload.ts';
import { AppError } from '../../platform/errors.ts';
import { detectRoutes } from './detect.routes.ts';
import { uploadedName } from './detect.service.ts';
import * as service from './reports.service.ts';

const IngestBody = Type.Object(
  {
    uri: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2048, description: 's3://bucket/key or http(s):// URL' }),
    ),
    object_key: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        description: 'a file uploaded earlier with POST /reports/detect (its object_key)',
      }),
    ),
    file_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    marketplace: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
    force: Type.Optional(Type.Boolean()),
    dry_run: Type.Optional(Type.Boolean()),
    skip_invalid: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

function addField(f: service.IngestRequest, name: string, value: string): void {
  if (name === 'type' || name === 'marketplace') f[name] = value;
  else if (name === 'force' || name === 'dry_run' || name === 'skip_invalid') f[name] = formBool(name, value);
  else throw new AppError('invalid', `unknown form field "${name}"`);
}

const DAY = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' });
const LOAD_STATUSES = ['pending', 'success', 'failed', 'skipped'] as const;

const IngestQueued = Type.Object({
  job_id: Type.String({ description: 'follow it at GET /jobs/{job_id}' }),
  object_key: Type.Optional(Type.String({ description: 'where an uploaded file was stored' })),
  uri: Type.Optional(Type.String({ description: 'the remote source of a JSON request' })),
  dry_run: Type.Boolean(),
  size: Type.Optional(Type.Integer({ description: 'bytes of an uploaded file' })),
});

/** One report load (a load_log row of source `report:<type>:<marketplace>`). */
const ReportLoad = Type.Object(
  {
    id: Type.Integer(),
    type: Type.String({ description: 'report type, e.g. settlement, fba_inventory' }),
    marketplace: Type.String(),
    file: Nullable(Type.String()),
    origin: Nullable(Type.String({ description: 'where the file came from (upload, uri, path)' })),
    status: Literals(LOAD_STATUSES),
    rows: Nullable(Type.Integer()),
    inserted: Nullable(Type.Integer()),
    rejected: Nullable(Type.Integer()),
    actor: Nullable(Type.String()),
    source: Nullable(Type.String()),
    started_at: DateTime(),
    finished_at: Nullable(DateTime()),
    duration_ms: Nullable(Type.Integer()),
  },
  { $id: 'ReportLoad' },
);

const ReturnFigures = {
  returns: Type.Integer({ description: 'customer returns' }),
  units_returned: Type.Integer(),
  refund_amount: Nullable(Type.Number({ description: 'refunds, marketplace currency' })),
  reimbursed_amount: Nullable(Type.Number({ description: 'reimbursements, marketplace currency' })),
  units_sold: Type.Integer(),
  return_rate: Nullable(Type.Number({ description: 'units returned / units sold; null without sales' })),
};

const ReturnsStats = Type.Object({
  window: Type.Object({ from: Day(), to: Day() }),
  summary: Type.Object(
    { asins: Type.Integer(), ...ReturnFigures },
    { description: 'totals over the window' },
  ),
  ...Paged(
    Type.Object(
      {
        asin: Type.String(),
        title: Nullable(Type.String()),
        ...ReturnFigures,
        top_reason: Nullable(Type.String({ description: 'the most frequent return reason' })),
      },
      { $id: 'AsinReturns' },
    ),
  ).properties,
});

export async function reportsRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  await detectRoutes(fastify, deps);
  app.post(
    '/ingest',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['reports'],
        summary:
          'Ingest an Amazon report: multipart (file [+ type, marketplace, force, dry_run, skip_invalid]) ' +
          'or JSON {uri | object_key, …}; runs as a job: follow it at GET /jobs/{job_id}',
        consumes: ['multipart/form-data', 'application/json'],
        response: withErrors({ 202: IngestQueued }),
      },
      // multipart bodies are not JSON: validate the JSON form by hand below
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      const actor = req.principal!.name;
      if (!req.isMultipart()) {
        const body = parseJsonBody(req.body);
        if (body.object_key) await service.checkUploadKey(deps.store, body.object_key);
        const out = await service.queueIngest(deps.jobs, {
          ...body,
          objectKey: body.object_key,
          fileName: body.file_name ?? (body.object_key ? uploadedName(body.object_key) : undefined),
          actor,
        });
        req.auditEvent = { event: 'report_ingest', details: auditDetails(out, body.type) };
        return reply.status(202).send(out);
      }
      const fields: service.IngestRequest = {};
      const stored = await receiveUpload(req, deps.store, {
        maxBytes: deps.config.UPLOAD_MAX_BYTES,
        keyFor: (name) => service.uploadKey(name, deps.clock.now()),
        onField: (name, value) => addField(fields, name, value),
      });
      try {
        const out = await service.queueIngest(deps.jobs, {
          ...fields,
          objectKey: stored.key,
          fileName: stored.fileName,
          actor,
        });
        req.auditEvent = { event: 'report_ingest', details: auditDetails(out, fields.type) };
        return reply.status(202).send({ ...out, size: stored.size });
      } catch (err) {
        await stored.discard();
        throw err;
      }
    },
  );

  app.get(
    '/reports/loads',
    {
      schema: {
        tags: ['reports'],
        summary: 'Past report loads (file, type, rows, status, who, when), newest first',
        querystring: Type.Object(
          {
            type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            status: Type.Optional(Type.Union(LOAD_STATUSES.map((s) => Type.Literal(s)))),
            page: Type.Integer({ minimum: 1, default: 1 }),
            page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Paged(ReportLoad) }),
      },
    },
    async (req) => service.loads(deps.db, req.query),
  );

  app.get(
    '/stats/returns',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Customer returns per ASIN over a window of days, with refunds, reimbursements and return rate',
        querystring: Type.Object(
          {
            from: Type.Optional(DAY),
            to: Type.Optional(DAY),
            asin: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{10}$' })),
            sort: Type.Union(
              (['units', 'refunds', 'return_rate', 'asin'] as const).map((s) => Type.Literal(s)),
              { default: 'units' },
            ),
            page: Type.Integer({ minimum: 1, default: 1 }),
            page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: ReturnsStats }),
      },
    },
    async (req) => service.returnsStats(deps.db, deps.clock.now(), req.query),
  );
}

const auditDetails = (
  out: { job_id: string; object_key?: string; uri?: string; dry_run: boolean },
  type: string | undefined,
) => ({ job_id: out.job_id, object_key: out.object_key, uri: out.uri, type, dry_run: out.dry_run });

function parseJsonBody(body: unknown): service.IngestRequest {
  if (Value.Check(IngestBody, body)) return body;
  if (!body || typeof body !== 'object') {
    throw new AppError(
      'invalid',
      'send multipart/form-data with a "file" part, or JSON {"uri": …} or {"object_key": …}',
    );
  }
  const problems = [...Value.Errors(IngestBody, body)].map((e) => `${e.path || '/'}: ${e.message}`);
  throw new AppError('invalid', `invalid request body: ${problems.join('; ')}`, { problems });
}
