import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { formBool, receiveUpload } from '../../http/upload.ts';
import { AppError } from '../../platform/errors.ts';
import * as service from './reports.service.ts';

const IngestBody = Type.Object(
  {
    uri: Type.String({ minLength: 1, maxLength: 2048, description: 's3://bucket/key or http(s):// URL' }),
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

export async function reportsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.post<{ Body: service.IngestRequest }>(
    '/ingest',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['reports'],
        summary:
          'Ingest an Amazon report: multipart (file [+ type, marketplace, force, dry_run, skip_invalid]) ' +
          'or JSON {uri, …}; runs as a job: follow it at GET /jobs/{job_id}',
        consumes: ['multipart/form-data', 'application/json'],
      },
      // multipart bodies are not JSON: validate the JSON form by hand below
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      const actor = req.principal!.name;
      if (!req.isMultipart()) {
        const body = parseJsonBody(req.body);
        return reply.status(202).send(await service.queueIngest(deps.jobs, { ...body, actor }));
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
        return reply.status(202).send({ ...out, size: stored.size });
      } catch (err) {
        await stored.discard();
        throw err;
      }
    },
  );

  app.get<{ Querystring: { type?: string; status?: string; page: number; page_size: number } }>(
    '/reports/loads',
    {
      schema: {
        tags: ['reports'],
        summary: 'Past report loads (file, type, rows, status, who, when), newest first',
        querystring: Type.Object(
          {
            type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            status: Type.Optional(
              Type.Union(['pending', 'success', 'failed', 'skipped'].map((s) => Type.Literal(s))),
            ),
            page: Type.Integer({ minimum: 1, default: 1 }),
            page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => service.loads(deps.db, req.query),
  );

  app.get<{ Querystring: service.ReturnsQuery }>(
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
      },
    },
    async (req) => service.returnsStats(deps.db, deps.clock.now(), req.query),
  );
}

function parseJsonBody(body: unknown): service.IngestRequest {
  if (Value.Check(IngestBody, body)) return body;
  if (!body || typeof body !== 'object') {
    throw new AppError('invalid', 'send multipart/form-data with a "file" part, or JSON {"uri": …}');
  }
  const problems = [...Value.Errors(IngestBody, body)].map((e) => `${e.path || '/'}: ${e.message}`);
  throw new AppError('invalid', `invalid request body: ${problems.join('; ')}`, { problems });
}
