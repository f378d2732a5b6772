import { describe, expect, it } from 'vitest';
import { HttpClientError } from '../http/errors.ts';
import type { HttpClient, HttpResponse } from '../http/types.ts';
import type { LwaAuth } from './lwa.ts';
import { spApiErrors, spApiErrorText, withFreshToken } from './spapi.ts';

const refused = (status: number) =>
  new HttpClientError(
    { api: 'spapi-x', method: 'GET', url: 'http://x/', reason: 'status', attempts: 1, status },
    `HTTP ${status}`,
  );

/** A client whose calls answer in turn from `answers` (an error is thrown). */
function scripted(answers: Array<number | HttpClientError>) {
  const sent: number[] = [];
  const http: HttpClient = {
    api: 'spapi-x',
    async request() {
      const a = answers.shift()!;
      sent.push(typeof a === 'number' ? a : a.status!);
      if (typeof a !== 'number') throw a;
      return { status: a } as unknown as HttpResponse;
    },
    stream: async () => {
      throw new Error('not used');
    },
  };
  return { http, sent };
}

function auth() {
  const lwa = { invalidated: 0, token: async () => 't', invalidate: () => {}, exchanges: 0 };
  lwa.invalidate = () => {
    lwa.invalidated += 1;
  };
  return lwa as LwaAuth & { invalidated: number };
}

describe('withFreshToken', () => {
  it('sends a call refused for its token (401/403) once more after forgetting the token', async () => {
    for (const status of [401, 403]) {
      const { http, sent } = scripted([refused(status), 200]);
      const lwa = auth();
      const client = withFreshToken(http, lwa);
      const res = await client.request({ method: 'GET', path: '/' });
      expect(res.status).toBe(200);
      expect(client.sent).toBe(2);
      expect(sent).toEqual([status, 200]);
      expect(lwa.invalidated).toBe(1);
    }
  });

  it('gives the second refusal to the caller, and never retries other failures', async () => {
    const twice = scripted([refused(403), refused(403), 200]);
    await expect(
      withFreshToken(twice.http, auth()).request({ method: 'GET', path: '/' }),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(twice.sent).toEqual([403, 403]);
    const bad = scripted([refused(400), 200]);
    const lwa = auth();
    await expect(withFreshToken(bad.http, lwa).request({ method: 'GET', path: '/' })).rejects.toMatchObject({
      status: 400,
    });
    expect(bad.sent).toEqual([400]);
    expect(lwa.invalidated).toBe(0);
  });
});

describe('spApiErrors', () => {
  it('reads the documented ErrorList and nothing else', () => {
    const text = JSON.stringify({
      errors: [{ code: 'InvalidInput', message: 'bad ASIN', details: 'x' }, { code: 'Unauthorized' }],
    });
    expect(spApiErrors(text)).toHaveLength(2);
    expect(spApiErrorText(text)).toBe('InvalidInput: bad ASIN; Unauthorized');
    expect(spApiErrors('<html>busy</html>')).toEqual([]);
    expect(spApiErrors(undefined)).toEqual([]);
    expect(spApiErrorText(JSON.stringify({ errors: 'no' }))).toBe('');
  });
});
