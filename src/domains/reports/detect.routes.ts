import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { Literals, Nullable, withErrors } from '../../http/schemas.ts';
import { receiveUpload } from '../../http/upload.ts';
import { AppError } from '../../platform/errors.ts';
import { detectSource, knownTypes } from './detect.service.ts';
import { LOAD_STATUSES, loadsCsv } from './loads.csv.ts';
import * as service from './reports.service.ts';

const DetectBody = Type.Object(
  {
    uri: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2048, description: 's3://bucket/key or http(s):// URL' }),
    ),
    object_key: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'an earlier upload, read again' }),
    ),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    marketplace: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
  },
  { additionalProperties: false },
);
type DetectBody = { uri?: string; object_key?: string; type?: string; marketplace?: string };

const KnownType = Type.Object({ type: Type.String(), label: Type.String() });

const Detected = Type.Object(
  {
    type: Nullable(Type.String({ description: 'the report type the header names; null: not recognised' })),
    label: Nullable(Type.String()),
    problem: Nullable(Type.String({ description: 'why no type was found, naming the known ones' })),
    file_name: Type.String(),
    size: Type.Integer({ description: 'bytes' }),
    object_key: Type.Optional(
      Type.String({ description: 'the stored upload: send it to POST /ingest as object_key' }),
    ),
    uri: Type.Optional(Type.String()),
    marketplace: Type.String(),
    format: Nullable(Literals(['csv', 'xlsx'])),
    delimiter: Nullable(Type.String()),
    encoding: Nullable(Type.String()),
    compressed: Nullable(Type.Boolean()),
    sheet: Nullable(Type.String()),
    header_line: Nullable(Type.Integer({ description: 'the line of the header row (1 = first)' })),
    columns: Type.Record(Type.String(), Type.String(), {
      description: 'landing column → the header text in the file',
    }),
    known_types: Type.Array(KnownType),
  },
  { $id: 'ReportDetection' },
);

/** POST /reports/detect: the type shown before ingest; GET /reports/loads.csv: the whole history. */
export async function detectRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/reports/detect',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['reports'],
        summary:
          'Read a report’s header and say which type it is, before anything is ingested: multipart ' +
          '(file [+ type, marketplace]) stores the upload and answers its object_key for POST /ingest; ' +
          'JSON {uri} reads a remote file, {object_key} an earlier upload (e.g. with a chosen type)',
        consumes: ['multipart/form-data', 'application/json'],
        response: withErrors({ 200: Detected }),
      },
      validatorCompiler: () => () => true,
    },
    async (req) => {
      if (!req.isMultipart()) {
        const body = parseDetectBody(req.body);
        if (!body.uri === !body.object_key) {
          throw new AppError('invalid', 'send "uri" or "object_key" (one of them)', { field: 'uri' });
        }
        if (body.uri) service.checkUri(body.uri);
        if (body.object_key) await service.checkUploadKey(deps.store, body.object_key);
        const d = await detectSource(deps, { ...body, objectKey: body.object_key });
        return { ...d, object_key: body.object_key, uri: body.uri, known_types: knownTypes() };
      }
      const fields: DetectBody = {};
      const stored = await receiveUpload(req, deps.store, {
        maxBytes: deps.config.UPLOAD_MAX_BYTES,
        keyFor: (name) => service.uploadKey(name, deps.clock.now()),
        onField: (name, value) => {
          if (name === 'type' || name === 'marketplace') fields[name] = value || undefined;
          else throw new AppError('invalid', `unknown form field "${name}"`, { field: name });
        },
      });
      try {
        const d = await detectSource(deps, { ...fields, objectKey: stored.key, fileName: stored.fileName });
        return { ...d, object_key: stored.key, known_types: knownTypes() };
      } catch (err) {
        await stored.discard();
        throw err;
      }
    },
  );

  app.get(
    '/reports/loads.csv',
    {
      schema: {
        tags: ['reports'],
        summary: 'Every report load GET /reports/loads matches (same filters, no paging) as a CSV download',
        querystring: Type.Object(
          {
            type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            status: Type.Optional(Literals(LOAD_STATUSES)),
          },
          { additionalProperties: false },
        ),
        response: withErrors({
          200: {
            description: 'CSV (RFC 4180) as the attachment awa-report-loads-<YYYY-MM-DD>.csv',
            content: { 'text/csv': { schema: Type.Unsafe<string | Readable>(Type.String()) } },
          },
        }),
      },
    },
    async (req, reply) => {
      const { filename, lines } = loadsCsv(deps.db, req.query, deps.clock.now());
      const body = Readable.from(lines);
      body.on('error', (err) => req.log.error({ err }, 'report loads csv export failed'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(body);
    },
  );
}

function parseDetectBody(body: unknown): DetectBody {
  if (Value.Check(DetectBody, body)) return body;
  if (!body || typeof body !== 'object') {
    throw new AppError('invalid', 'send multipart/form-data with a "file" part, or JSON {"uri": …}');
  }
  const problems = [...Value.Errors(DetectBody, body)].map((e) => ({
    field: e.path.replace(/^\//, '') || '/',
    message: e.message,
  }));
  throw new AppError(
    'invalid',
    `invalid request body: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    { problems },
  );
}
