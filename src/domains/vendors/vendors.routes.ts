import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, Decimal, Literals, Nullable, Paged, withErrors } from '../../http/schemas.ts';
import { formBool, receiveUpload } from '../../http/upload.ts';
import { AppError } from '../../platform/errors.ts';
import { VendorPatch, VendorsCsvQuery, VendorsPage, VendorsQuery, VendorUpdate } from './vendors.schemas.ts';
import * as service from './vendors.service.ts';
import { updateVendor } from './vendors.settings.ts';

/** Collects the text fields of the upload form into the import options. */
function addField(f: service.UploadFields, name: string, value: string): void {
  if (name === 'vendor' || name === 'currency' || name === 'sheet') f[name] = value;
  else if (name === 'map') f.map = [...(f.map ?? []), value];
  else if (name === 'skip_invalid' || name === 'dry_run' || name === 'force') f[name] = formBool(name, value);
  else throw new AppError('invalid', `unknown form field "${name}"`);
}

const ImportQueued = Type.Object({
  job_id: Type.String({ description: 'follow it at GET /jobs/{job_id}' }),
  object_key: Type.String({ description: 'where the upload was stored' }),
  vendor: Type.String({ description: 'the vendor name as it will be stored' }),
  dry_run: Type.Boolean(),
  size: Type.Integer({ description: 'bytes received' }),
});

const CostChange = Type.Object(
  {
    observed_at: DateTime(),
    old_cost: Nullable(Decimal()),
    cost: Decimal(),
    old_currency: Nullable(Type.String()),
    currency: Type.String(),
    price_list_id: Nullable(Type.Integer()),
  },
  { $id: 'VendorCostChange' },
);

const VendorPrice = Type.Object(
  {
    sku: Type.String(),
    asin: Nullable(Type.String()),
    barcode: Nullable(Type.String()),
    title: Nullable(Type.String()),
    cost: Decimal('per unit, in `currency`'),
    currency: Type.String(),
    pack_size: Type.Integer(),
    moq: Type.Integer(),
    lead_time_days: Nullable(Type.Integer()),
    price_list_id: Nullable(Type.Integer()),
    updated_at: DateTime(),
    history: Type.Array(CostChange, { description: 'the latest cost changes, newest first' }),
  },
  { $id: 'VendorPrice' },
);

const PriceList = Type.Object(
  {
    id: Type.Integer(),
    vendor_id: Type.Integer(),
    vendor: Type.String({ description: "the vendor's name" }),
    file_name: Type.String(),
    sha256: Type.String(),
    rows: Type.Integer(),
    inserted: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    duplicates: Type.Integer(),
    rejected: Type.Integer(),
    status: Literals(['success', 'failed', 'skipped', 'partial']),
    source: Literals(['cli', 'api']),
    currency: Nullable(Type.String()),
    created_by: Nullable(Type.String()),
    created_at: DateTime(),
    duration_ms: Nullable(Type.Integer()),
  },
  { $id: 'PriceList' },
);

export async function vendorsRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
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
        response: withErrors({ 202: ImportQueued }),
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
    {
      schema: {
        tags: ['vendors'],
        summary: 'Vendors with their settings, offer counts and last price list (its age, stale flagged)',
        description:
          'Filtered, sorted (ties break on the name) and paged; without page_size every matching vendor. ' +
          'Order defaults to asc for name, country and currency, desc otherwise.',
        querystring: VendorsQuery,
        response: withErrors({ 200: VendorsPage }),
      },
    },
    async (req) => service.listVendors(deps.db, req.query, deps.clock.now()),
  );

  app.get(
    '/vendors.csv',
    {
      schema: {
        tags: ['vendors'],
        summary: 'Every vendor GET /vendors matches (same filters and order) as a CSV download',
        querystring: VendorsCsvQuery,
        response: withErrors({
          200: {
            description:
              'CSV (RFC 4180, UTF-8 with a byte order mark) as the attachment awa-vendors-<YYYY-MM-DD>.csv',
            content: { 'text/csv': { schema: Type.Unsafe<string | Readable>(Type.String()) } },
          },
        }),
      },
    },
    async (req, reply) => {
      const { filename, lines } = await service.vendorsCsv(deps.db, req.query, deps.clock.now());
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(Readable.from(lines));
    },
  );

  app.patch(
    '/vendors/:id',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['vendors'],
        summary:
          'Change the vendor settings ROI and restock use (country, currency, default lead time, MOQ, e-mail); ' +
          'dry_run (the default) reports what would change and saves nothing',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: VendorPatch,
        response: withErrors({ 200: VendorUpdate }),
      },
    },
    async (req) => {
      const out = await updateVendor(deps, req.params.id, req.body);
      if (!out.dry_run && out.changes.length > 0) {
        req.auditEvent = {
          event: 'vendor_updated',
          details: { vendor_id: req.params.id, name: out.vendor.name, changes: out.changes },
        };
      }
      return out;
    },
  );

  app.get(
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
        response: withErrors({
          200: Type.Object({
            vendor: Type.Object({ id: Type.Integer(), name: Type.String() }),
            ...Paged(VendorPrice).properties,
          }),
        }),
      },
    },
    async (req) => service.vendorPrices(deps.db, req.params.id, req.query),
  );

  app.get(
    '/price-lists',
    {
      schema: {
        tags: ['vendors'],
        summary: 'Past price-list imports, newest first',
        querystring: Type.Object({
          vendor_id: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: withErrors({ 200: Type.Object({ items: Type.Array(PriceList) }) }),
      },
    },
    async (req) => {
      const rows = await service.priceLists(deps.db, req.query.vendor_id, req.query.limit);
      // status and source are text in price_lists; PriceList names the values they hold
      return { items: rows as Static<typeof PriceList>[] };
    },
  );
}
