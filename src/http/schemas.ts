/**
 * Response schemas shared by the routes. Fastify serialises every reply with its route's response
 * schema, so a property missing here disappears from the response and a wrong type is coerced:
 * these describe what the services really return. Schemas with an `$id` become named components
 * of the OpenAPI document (and named types in the generated web client).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ErrorKind } from '../platform/errors.ts';

/**
 * One of these strings: an enum in the document, so a union type in the generated client. A string
 * enum rather than a union of literals, because the serialiser throws (a 500) on a value outside a
 * union, and a response must not fail for a status the database knows before this list does. On
 * the server it is typed `string`: the repos read these text columns as strings.
 */
export const Literals = (values: readonly string[], options: { description?: string } = {}) =>
  Type.Unsafe<string>({ type: 'string', enum: [...values], ...options });

const ERROR_CODES = [
  'invalid',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'upstream',
  'unavailable',
  'config',
  'internal',
] as const;
// A kind added to ErrorKind must be listed above, or clients would not know the code: this line
// stops the typecheck until it is.
const _everyKindListed: [Exclude<ErrorKind, (typeof ERROR_CODES)[number]>] extends [never] ? true : never =
  true;

/** `{ error: { code, message, details?, request_id } }`, written by plugins/errors.ts for every error. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Literals(ERROR_CODES, { description: 'the kind of error; one HTTP status per kind' }),
      message: Type.String({ description: 'what went wrong, where and why, for a person to read' }),
      details: Type.Optional(
        Type.Unknown({
          description:
            'machine-readable specifics, e.g. [{field, message}] for invalid input; never present on 5xx',
        }),
      ),
      request_id: Type.String({ description: 'also in the X-Request-ID header and the server log' }),
    }),
  },
  { $id: 'ErrorBody', description: 'The error shape of every route' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** A reference to the ErrorBody component (registered once by registerSharedSchemas). */
const ErrorRef = Type.Unsafe<ErrorBody>(Type.Ref('ErrorBody'));

/** Makes the shared schemas resolvable by `$ref` from every route and lists them as components. */
export function registerSharedSchemas(app: FastifyInstance): void {
  app.addSchema(ErrorBody);
}

/** A response that is not JSON (a CSV download): its content type and schema for the document. */
export interface ContentResponse {
  description: string;
  content: Record<string, { schema: TSchema }>;
}

/** A route's success responses plus the shared error body for every 4xx and 5xx status. */
export function withErrors<T extends Record<number, TSchema | ContentResponse>>(
  responses: T,
): T & { '4xx': typeof ErrorRef; '5xx': typeof ErrorRef } {
  return { ...responses, '4xx': ErrorRef, '5xx': ErrorRef };
}

/** A timestamp: the services hand Date objects (from pg) or ISO strings; both go out as ISO 8601. */
export const DateTime = (options: { description?: string } = {}) =>
  Type.Unsafe<Date | string>({ type: 'string', format: 'date-time', ...options });

/** A calendar day, YYYY-MM-DD. */
export const Day = (options: { description?: string } = {}) => Type.String({ format: 'date', ...options });

/** Money and other exact numbers (Postgres `numeric`) travel as decimal text, never through a float. */
export const Decimal = (description = 'exact decimal as text, e.g. "12.50"') => Type.String({ description });

/**
 * T or null. Like every union, checked whole when serialising: a value of another type (a float for
 * an integer, a number for a decimal string) fails the reply with a 500, so T must be exact.
 */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const PageFields = {
  total: Type.Integer({ minimum: 0, description: 'rows matching the filters, over all pages' }),
  page: Type.Integer({ minimum: 1 }),
  page_size: Type.Integer({ minimum: 1 }),
};

/** `{ total, page, page_size, items }`, the shape of every paged list. */
export const Paged = <T extends TSchema>(item: T, options: { description?: string } = {}) =>
  Type.Object({ ...PageFields, items: Type.Array(item) }, options);

/** The same with more top-level fields (e.g. the sort actually applied). */
export const PagedWith = <T extends TSchema, E extends Record<string, TSchema>>(item: T, extra: E) =>
  Type.Object({ ...PageFields, ...extra, items: Type.Array(item) });
