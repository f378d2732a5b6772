import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from './config.ts';
import { AppError } from './errors.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError & { details: { problems: string[] } }).details.problems;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('has working defaults for a bare machine', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 8000,
      HOST: '127.0.0.1',
      AWA_ROLES: ['api', 'worker', 'scheduler'],
      STORAGE_DRIVER: 'local',
      AWA_MARKETPLACE: 'DE',
      AWA_CURRENCY: 'EUR',
      S3_FORCE_PATH_STYLE: true,
      CORS_ORIGINS: [],
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(path.isAbsolute(c.dataDir)).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses types and lists', () => {
    const c = loadConfig({
      PORT: '9001',
      AWA_ROLES: 'api, worker',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      S3_FORCE_PATH_STYLE: 'false',
      S3_BUCKET: 'awa-files',
    });
    expect(c.PORT).toBe(9001);
    expect(c.AWA_ROLES).toEqual(['api', 'worker']);
    expect(c.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(c.S3_FORCE_PATH_STYLE).toBe(false);
    expect(c.STORAGE_DRIVER).toBe('s3'); // implied by S3_BUCKET
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: '' }).REDIS_URL).toBeUndefined();
    expect(loadConfig({ PORT: '' }).PORT).toBe(8000);
  });

  it('reports every problem at once, naming variable and value', () => {
    const p = problems({
      PORT: 'abc',
      AWA_ROLES: 'api,cook',
      REDIS_URL: 'localhost:6379',
      DATABASE_URL: 'mysql://x',
      MAINTENANCE_CRON: 'every night',
      AWA_MARKETPLACE: 'germany',
    });
    const text = p.join('\n');
    for (const v of [
      'PORT="abc"',
      'AWA_ROLES',
      'REDIS_URL',
      'DATABASE_URL',
      'MAINTENANCE_CRON',
      'AWA_MARKETPLACE',
    ]) {
      expect(text).toContain(v);
    }
    expect(p.length).toBeGreaterThanOrEqual(6);
  });

  it('the error message lists the problems for the CLI', () => {
    expect(() => loadConfig({ PORT: '70000', DB_POOL_MAX: '0' })).toThrow(/PORT="70000".*\n.*DB_POOL_MAX/s);
  });

  it('never echoes secrets in errors', () => {
    const text = problems({
      DATABASE_URL: 'postgres://awa:topsecret@db:5432/awa',
      PORT: 'x',
      S3_SECRET_ACCESS_KEY: 'abc',
      STORAGE_DRIVER: 's3',
    }).join('\n');
    expect(text).not.toContain('topsecret');
    expect(text).toContain('S3_BUCKET: required when STORAGE_DRIVER=s3');
    expect(text).toContain('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
    const bad = problems({ DATABASE_URL: 'http://awa:topsecret@db/awa' }).join('\n');
    expect(bad).not.toContain('topsecret');
    expect(bad).toContain('***');
  });

  it('requires S3_BUCKET for the s3 driver', () => {
    expect(problems({ STORAGE_DRIVER: 's3' }).join()).toContain('S3_BUCKET');
  });
});

describe('pricing and planning settings', () => {
  it('scales score weights to sum to 1 and keeps their proportions', () => {
    const c = loadConfig({ SCORING_WEIGHTS: 'profitability=2,demand=1,competition=1,stability=0,returns=0' });
    expect(c.SCORING_WEIGHTS).toEqual({
      profitability: 0.5,
      demand: 0.25,
      competition: 0.25,
      stability: 0,
      returns: 0,
    });
    expect(loadConfig({}).SCORING_WEIGHTS.profitability).toBeCloseTo(0.35, 10);
  });

  it.each([
    ['profitability=1,demand=1', 'missing competition, stability, returns'],
    ['profitability=1,demand=1,competition=1,stability=1,returns=1,luck=1', '"luck=1"'],
    ['profitability=x,demand=1,competition=1,stability=1,returns=1', '"profitability=x"'],
    ['profitability=0,demand=0,competition=0,stability=0,returns=0', 'sum to 0'],
  ])('refuses SCORING_WEIGHTS=%s', (value, reason) => {
    expect(problems({ SCORING_WEIGHTS: value }).join()).toContain(reason);
  });

  it('reads repricer percentages and refuses a mode it does not know', () => {
    const c = loadConfig({ REPRICER_MAX_STEP_PCT: '7.5', REPRICER_MIN_ROI: '0.2' });
    expect([c.REPRICER_MAX_STEP_PCT, c.REPRICER_MIN_ROI, c.REPRICER_MODE]).toEqual([7.5, 0.2, 'dry_run']);
    expect(problems({ REPRICER_MODE: 'yolo' }).join()).toContain(
      'REPRICER_MODE="yolo": must be dry_run, apply or live',
    );
    expect(problems({ RESTOCK_SERVICE_LEVEL: '95' }).join()).toContain('RESTOCK_SERVICE_LEVEL');
  });
});

describe('documentation stays in step with the config', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  it.each(['README.md', '.env.example'])('%s lists every variable', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const missing = CONFIG_VARIABLES.filter((v) => !text.includes(v));
    expect(missing).toEqual([]);
  });
});
