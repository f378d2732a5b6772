/**
 * Shapes read from the generated OpenAPI types (schema.d.ts, `npm run gen:api`), so a server change
 * that breaks a page fails `npm run typecheck` instead of a user's screen.
 */
import type { components, paths } from './schema';

type Ok<Op> = Op extends { responses: { 200: { content: { 'application/json': infer R } } } }
  ? R
  : Op extends { responses: { 201: { content: { 'application/json': infer R } } } }
    ? R
    : never;

/** The JSON a GET of `P` answers with. */
export type GetResult<P extends keyof paths> = paths[P] extends { get: infer Op } ? Ok<Op> : never;
/** The JSON a POST to `P` answers with. */
export type PostResult<P extends keyof paths> = paths[P] extends { post: infer Op } ? Ok<Op> : never;
/** The JSON body a POST to `P` takes. */
export type PostBody<P extends keyof paths> = paths[P] extends {
  post: { requestBody?: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
/** The query parameters a GET of `P` takes. */
export type GetQuery<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

export type Schemas = components['schemas'];
