import multipart, { type MultipartFile } from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { AppError } from '../../platform/errors.ts';
import * as service from './vendors.service.ts';

const BOOL = new Map([
  ['true', true],
  ['1', true],
  ['yes', true],
  ['on', true],
  ['false', false],
  ['0', false],
  ['no', false],
  ['off', false],
  ['', false],
]);

function formBool(name: string, value: string): boolean {
  const b = BOOL.get(value.trim().toLowerCase());
  if (b === undefined)
    throw new AppError('invalid', `form field "${name}" must be true or false (got "${value}")`);
  return b;
}

/** Collects the text fields of the upload form into the import options. */
function addField(f: service.UploadFields, name: string, value: string): void {
  if (name === 'vendor' || name === 'currency' || name === 'sheet') f[name] = value;
  else if (name === 'map') f.map = [...(f.map ?? []), value];
  else if (name === 'skip_invalid' || name === 'dry_run' || name === 'force') f[name] = formBool(name, value);
  else throw new AppError('invalid', `unknown form field "${name}"`);
}

export async function vendorsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const maxBytes = deps.config.UPLOAD_MAX_BYTES;
  await app.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 30, fieldSize: 64 * 1024 },
  });

  app.post(
    '/price-lists',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['vendors'],
        summary:
          'Upload a vendor price list (multipart: file + vendor [+ currency, sheet, map, skip_invalid, ' +
          'dry_run, force]); the import runs as a job: follow it at GET /jobs/{job_id}',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) {
        throw new AppError('invalid', 'send multipart/form-data with a "file" part and a "vendor" field');
      }
      const fields: service.UploadFields = {};
      let stored: { key: string; fileName: string; size: number } | undefined;
      const discard = () => (stored ? deps.store.delete(stored.key).catch(() => {}) : undefined);
      try {
        for await (const part of req.parts()) {
          if (part.type !== 'file') {
            addField(fields, part.fieldname, String(part.value ?? ''));
            continue;
          }
          const file = part as MultipartFile;
          const key = service.uploadKey(file.filename || 'upload', deps.clock.now());
          // streamed straight to object storage: memory stays flat whatever the size
          const size = await service.storeUpload(deps.store, key, file.file);
          stored = { key, fileName: file.filename || 'upload', size };
          if (file.file.truncated)
            throw Object.assign(new Error('too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
        }
        if (!stored) throw new AppError('invalid', 'the upload has no file part');
        const out = await service.queuePriceListImport(deps.jobs, {
          ...fields,
          objectKey: stored.key,
          fileName: stored.fileName,
          actor: req.principal!.name,
        });
        return reply.status(202).send({ ...out, size: stored.size });
      } catch (err) {
        await discard();
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new AppError(
            'payload_too_large',
            `the file is larger than the upload limit of ${maxBytes} bytes`,
          );
        }
        throw err;
      }
    },
  );

  app.get(
    '/vendors',
    { schema: { tags: ['vendors'], summary: 'Vendors with offer counts and last import' } },
    async () => ({
      items: await service.listVendors(deps.db),
    }),
  );

  app.get<{
    Params: { id: number };
    Querystring: { page: number; page_size: number; search?: string; history: number };
  }>(
    '/vendors/:id/prices',
    {
      schema: {
        tags: ['vendors'],
        summary: "A vendor's current prices in sku order, each with its latest cost changes",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object({
          page: Type.Integer({ minimum: 1, default: 1 }),
          page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          search: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          history: Type.Integer({ minimum: 0, maximum: 50, default: 5 }),
        }),
      },
    },
    async (req) => service.vendorPrices(deps.db, req.params.id, req.query),
  );

  app.get<{ Querystring: { vendor_id?: number; limit: number } }>(
    '/price-lists',
    {
      schema: {
        tags: ['vendors'],
        summary: 'Past price-list imports, newest first',
        querystring: Type.Object({
          vendor_id: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
      },
    },
    async (req) => ({ items: await service.priceLists(deps.db, req.query.vendor_id, req.query.limit) }),
  );
}
