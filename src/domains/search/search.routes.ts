import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { Literals, Nullable, withErrors } from '../../http/schemas.ts';
import { MIN_TITLE_CHARS, SEARCH_LIMIT, search } from './search.service.ts';

const SearchResult = Type.Object({
  items: Type.Array(
    Type.Object({
      asin: Type.String(),
      title: Nullable(Type.String()),
      sku: Nullable(
        Type.String({ description: "the matched SKU, else the seller's first listing of the ASIN" }),
      ),
      ean: Nullable(Type.String({ description: 'the matched barcode, else one the product is known by' })),
      matched: Literals(['asin', 'sku', 'ean', 'title'] as const),
    }),
    { maxItems: SEARCH_LIMIT },
  ),
  exact: Nullable(
    Type.String({ description: 'the ASIN to open straight away: the exact matches are this one product' }),
  ),
});

export async function searchRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Find products by ASIN, SKU, barcode (EAN/UPC/GTIN) or title',
        description:
          `At most ${SEARCH_LIMIT}: exact ASIN, SKU and barcode matches first, then titles containing q ` +
          `(q of ${MIN_TITLE_CHARS} characters or more).`,
        querystring: Type.Object(
          { q: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: SearchResult }),
      },
    },
    async (req) => search(deps, req.query.q),
  );
}
