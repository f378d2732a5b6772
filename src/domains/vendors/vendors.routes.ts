import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { formBool, receiveUpload } from '../../http/upload.ts';
import { AppError } from '../../platform/errors.ts';
import * as service from './vendors.service.ts';

/** Collects the text fields of the upload form into the import options. */
function addField(f: service.UploadFields, name: string, value: string): void {
  if (name === 'vendor' || name === 'currency' || name === 'sheet') f[name] = value;
  else if (name === 'map') f.map = [...(f.map ?? []), value];
  else if (name === 'skip_invalid' || name === 'dry_run' || name === 'force') f[name] = formBool(name, value);
  else throw new AppError('invalid', `unknown form field "${name}"`);
}

export async function vendorsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
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
      const stored = await receiveUpload(req, deps.store, {
        maxBytes: deps.config.UPLOAD_MAX_BYTES,
        keyFor: (name) => service.uploadKey(name, deps.clock.now()),
        onField: (name, value) => addField(fields, name, value),
      });
      try {
        const out = await service.queuePriceListImport(deps.jobs, {
          ...fields,
          objectKey: stored.key,
          fileName: stored.fileName,
          actor: req.principal!.name,
        });
        return reply.status(202).send({ ...out, size: stored.size });
      } catch (err) {
        await stored.discard();
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
