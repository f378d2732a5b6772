import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { PoStatus } from './purchase-orders.repo.ts';
import * as service from './purchase-orders.service.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
const PoId = Type.Object({ id: Id }, { additionalProperties: false });
const Sku = Type.String({ minLength: 1, maxLength: 100 });
const Qty = Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'whole units, > 0' });
const STATUSES = ['open', 'received', 'cancelled'] as const;

const CreateBody = Type.Object(
  {
    vendor_id: Id,
    marketplace: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    expected_at: Type.Optional(Type.String({ format: 'date' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          asin: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{10}$' })),
          qty: Qty,
          unit_cost: Type.Optional(
            Type.Union([Type.String({ maxLength: 20 }), Type.Number({ minimum: 0 })], {
              description: 'per unit, in the marketplace currency; a string keeps it exact',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 2000 },
    ),
    dry_run: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const ReceiveBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(Type.Object({ sku: Sku, qty: Qty }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 2000,
        description: 'quantities received now; omit to receive everything outstanding',
      }),
    ),
    dry_run: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** `{}`, `{dry_run}` or no body at all: cancelling needs nothing else. */
function dryRunOf(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  const extra = typeof body === 'object' ? Object.keys(body).filter((k) => k !== 'dry_run') : ['body'];
  const dry = (body as { dry_run?: unknown }).dry_run;
  if (extra.length > 0 || (dry !== undefined && typeof dry !== 'boolean')) {
    throw new AppError('invalid', 'body must be {} or {"dry_run": true|false}', [
      { field: extra[0] ?? 'dry_run', message: 'not allowed' },
    ]);
  }
  return dry === true;
}

export async function purchaseOrderRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const sdeps = { db: deps.db, clock: deps.clock };

  app.post<{ Body: service.CreatePoInput }>(
    '/purchase-orders',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['restock'],
        summary: 'Place a purchase order with a vendor (dry_run supported)',
        body: CreateBody,
      },
    },
    async (req, reply) => {
      const po = await service.createPo(sdeps, req.body, req.principal!.name, deps.config.AWA_MARKETPLACE);
      return reply.code(po.dry_run ? 200 : 201).send(po);
    },
  );

  app.get<{ Querystring: { status?: PoStatus; vendor_id?: number; page: number; page_size: number } }>(
    '/purchase-orders',
    {
      schema: {
        tags: ['restock'],
        summary: 'Purchase orders, newest first',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
            vendor_id: Type.Optional(Id),
            page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
            page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => service.listPurchaseOrders(sdeps, req.query),
  );

  app.get<{ Params: { id: number } }>(
    '/purchase-orders/:id',
    { schema: { tags: ['restock'], summary: 'One purchase order with its lines', params: PoId } },
    async (req) => service.getPurchaseOrder(sdeps, req.params.id),
  );

  app.post<{ Params: { id: number }; Body: { lines?: { sku: string; qty: number }[]; dry_run?: boolean } }>(
    '/purchase-orders/:id/receive',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['restock'],
        summary: 'Record a delivery (all outstanding, or per-line quantities); complete → received',
        params: PoId,
        body: ReceiveBody,
      },
    },
    async (req) => service.receivePo(sdeps, req.params.id, req.body),
  );

  app.post<{ Params: { id: number } }>(
    '/purchase-orders/:id/cancel',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['restock'],
        summary: 'Cancel an open purchase order (dry_run supported)',
        params: PoId,
      },
    },
    async (req) => service.cancelPo(sdeps, req.params.id, { dry_run: dryRunOf(req.body) }),
  );
}
