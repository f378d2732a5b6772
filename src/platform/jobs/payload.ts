import { type Static, type TObject, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../errors.ts';
import type { JobDefinition } from './types.ts';

/** The fields every job that loads a file takes besides where the file is (price lists, reports). */
export const FILE_LOAD_FIELDS = {
  file_name: Type.Optional(Type.String()),
  skip_invalid: Type.Optional(Type.Boolean()),
  force: Type.Optional(Type.Boolean()),
  /** Who queued it, for the audit trail. */
  actor: Type.Optional(Type.String()),
};

/** An agent that can be limited to some ASINs (`awa agent run NAME --asins A,B`); absent: all due. */
export const ASIN_LIST_PAYLOAD = Type.Object({
  asins: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z0-9]{10}$' }), { minItems: 1 })),
});

/** The ASINs of an ASIN_LIST_PAYLOAD, each once; undefined for every ASIN that is due. */
export const distinctAsins = (data: Static<typeof ASIN_LIST_PAYLOAD>): string[] | undefined =>
  data.asins && [...new Set(data.asins)];

/** A job that takes a payload: its handler reads `ctx.data` as the schema's type, checked before it runs. */
export function withPayload<S extends TObject>(
  payload: S,
  def: Omit<JobDefinition<Static<S>>, 'payload'>,
): JobDefinition<Static<S>> {
  return { ...def, payload };
}

/**
 * Checks a taken job's payload against its definition's schema. A payload that does not fit (queued
 * by hand, or by an older release) is an `invalid` error naming the field: retrying cannot fix it.
 */
export function checkPayload(def: JobDefinition, data: Record<string, unknown>): void {
  if (!def.payload || Value.Check(def.payload, data)) return;
  const errors = [...Value.Errors(def.payload, data)].slice(0, 5);
  const details = errors.map((e) => ({
    field: e.path.replace(/^\//, '').replaceAll('/', '.') || '(payload)',
    message: e.message,
    value: e.value,
  }));
  throw new AppError(
    'invalid',
    `${def.name}: the queued payload does not fit: ${details.map((d) => `${d.field} ${d.message} (got ${JSON.stringify(d.value) ?? 'nothing'})`).join('; ')}`,
    details,
  );
}
