import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { OpenAPI3, OperationObject, ResponseObject } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, openApiDocument, renderApiTypes, SCHEMA_FILE } from '../../scripts/gen-api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

let t: TestApp;
let doc: OpenAPI3;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.ready();
  doc = openApiDocument(t.app);
});

afterAll(async () => {
  await t.close();
});

/** Every operation of the document as `METHOD /path` with its object. */
function operations(d: OpenAPI3): [string, OperationObject][] {
  const out: [string, OperationObject][] = [];
  for (const [path, item] of Object.entries(d.paths ?? {})) {
    for (const m of METHODS) {
      const op = (item as Record<string, unknown>)[m] as OperationObject | undefined;
      if (op) out.push([`${m.toUpperCase()} ${path}`, op]);
    }
  }
  return out;
}

/** A response documents a body when one of its content types has a schema that says something. */
function documentsBody(r: ResponseObject | undefined): boolean {
  const content = Object.values(r?.content ?? {});
  return content.some((c) => c.schema !== undefined && Object.keys(c.schema).length > 0);
}

describe('OpenAPI document (/docs)', () => {
  it('is a valid OpenAPI 3.0 document for an independent validator, every $ref resolving', async () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    const validator = new Validator();
    // a copy: the validator annotates what it is given, and the app serves this object at /docs
    const res = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    const errors =
      typeof res.errors === 'string'
        ? [res.errors]
        : (res.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
    expect(errors).toEqual([]);
    expect(res.valid).toBe(true);
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('documents a 2xx response body (or a declared 204 No Content) for every /api/v1 operation', () => {
    const ops = operations(doc).filter(([name]) => name.includes(' /api/v1/'));
    expect(ops.length).toBeGreaterThan(30);
    const undocumented = ops
      .filter(([, op]) => {
        const ok = Object.entries(op.responses ?? {}).filter(([code]) => /^2(\d\d|XX)$/i.test(code));
        return !ok.some(([code, r]) => code === '204' || documentsBody(r as ResponseObject));
      })
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it('documents the shared error body for the errors of every /api/v1 operation', () => {
    const ref = '#/components/schemas/ErrorBody';
    const without = operations(doc)
      .filter(([name]) => name.includes(' /api/v1/'))
      .filter(([, op]) =>
        ['4XX', '5XX'].some((code) => {
          const r = op.responses?.[code] as ResponseObject | undefined;
          return (r?.content?.['application/json']?.schema as { $ref?: string } | undefined)?.$ref !== ref;
        }),
      )
      .map(([name]) => name);
    expect(without).toEqual([]);
    const error = doc.components?.schemas?.ErrorBody as { properties?: Record<string, unknown> };
    expect(Object.keys(error.properties ?? {})).toEqual(['error']);
  });

  it('gives every operation tags and a summary', () => {
    const bare = operations(doc)
      .filter(([, op]) => !op.tags?.length || !op.summary)
      .map(([name]) => name);
    expect(bare).toEqual([]);
  });

  it('keeps /metrics, a text response, out of JSON', () => {
    const contentTypes = (op: string) => {
      const ok = operations(doc).find(([name]) => name === op)?.[1].responses?.[200] as ResponseObject;
      return Object.keys(ok?.content ?? {});
    };
    expect(contentTypes('GET /metrics')).toEqual(['text/plain']);
    expect(contentTypes('GET /api/v1/restock/plans/{id}.csv')).toEqual(['text/csv']);
  });
});

describe('generated client types (web/src/api/schema.d.ts)', () => {
  it('come from the same document whether built by npm run gen:api (no database) or the running app', async () => {
    expect(await buildOpenApiDocument()).toEqual(structuredClone(doc));
  });

  it('are up to date with the routes', async () => {
    const fresh = await renderApiTypes(await buildOpenApiDocument());
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const line = b.findIndex((l, i) => l !== a[i]);
    const where = line === -1 && a.length === b.length ? '' : ` (first difference at line ${line + 1})`;
    expect(committed === fresh, `web/src/api/schema.d.ts is out of date: run npm run gen:api${where}`).toBe(
      true,
    );
  });

  it('say what the routes answer', () => {
    const text = readFileSync(SCHEMA_FILE, 'utf8');
    expect(text.startsWith('/**\n * Generated by `npm run gen:api`')).toBe(true);
    expect(text).toContain("'/api/v1/purchase-orders/{id}/receive': {");
    expect(text).toMatch(/ErrorBody: \{\n\s+error: \{/);
    // an enum becomes a union of literals the web app can switch on
    expect(text).toMatch(/status: 'open' \| 'received' \| 'cancelled';/);
  });
});
