import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../src/platform/config.ts';
import { COMPOSE, requireTool, skipWithout } from './helpers/tools.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const composeFile = path.join(root, 'docker-compose.yml');
const dockerfile = path.join(root, 'Dockerfile');

type Service = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: unknown[];
};

// `merge: true` resolves the `<<: *awa-app` merge keys the way Compose does.
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const APP_ROLES = ['api', 'worker', 'scheduler'] as const;

function service(name: string): Service {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

function envOf(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const i = line.indexOf('=');
        return i === -1 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

function commandOf(s: Service): string[] {
  if (Array.isArray(s.command)) return s.command.map(String);
  return (s.command ?? '').split(/\s+/).filter(Boolean);
}

function buildContext(s: Service): string | undefined {
  if (typeof s.build === 'string') return s.build;
  return s.build?.context;
}

describe('docker-compose.yml', () => {
  it('defines the infrastructure and one service per role', () => {
    for (const name of ['db', 'redis', 'minio', 'minio-init', ...APP_ROLES]) {
      expect(services, `service ${name}`).toHaveProperty(name);
    }
  });

  it('pins the database and redis major versions', () => {
    expect(service('db').image).toBe('postgres:16');
    expect(service('redis').image).toBe('redis:7');
  });

  it('gives every long-running service a healthcheck', () => {
    for (const name of ['db', 'redis', 'minio', 'api', 'worker']) {
      const hc = service(name).healthcheck;
      expect(hc?.test, `${name} healthcheck`).toBeTruthy();
      expect(hc?.disable, `${name} healthcheck disabled`).not.toBe(true);
    }
    expect(service('db').healthcheck?.test).toEqual(['CMD', 'pg_isready', '-U', 'awa', '-d', 'awa']);
    expect(service('redis').healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('runs every role from the one image built from the repo, selecting the role by command', () => {
    const images = new Set<string>();
    for (const role of APP_ROLES) {
      const s = service(role);
      expect(buildContext(s), `${role} build context`).toBe('.');
      images.add(s.image ?? '(none)');
      const cmd = commandOf(s);
      expect(cmd[0], `${role} command`).toBe('start');
      const i = cmd.indexOf('--roles');
      expect(i, `${role} command has --roles`).toBeGreaterThan(0);
      expect(cmd[i + 1], `${role} command selects its role`).toBe(role);
    }
    expect(images.size, 'api, worker and scheduler share one image').toBe(1);
    expect(service('api').ports?.map(String)).toContain('8000:8000');
    expect(service('worker').ports ?? []).toEqual([]);
    expect(service('scheduler').ports ?? []).toEqual([]);
  });

  it('starts the app only after db and redis are healthy and the bucket exists', () => {
    for (const role of APP_ROLES) {
      const deps = service(role).depends_on;
      expect(Array.isArray(deps), `${role} depends_on uses the long form`).toBe(false);
      const d = deps as Record<string, { condition?: string }>;
      expect(d.db?.condition, `${role} → db`).toBe('service_healthy');
      expect(d.redis?.condition, `${role} → redis`).toBe('service_healthy');
      expect(d['minio-init']?.condition, `${role} → minio-init`).toBe('service_completed_successfully');
    }
  });

  it('sets only known config variables on the app services, wired to the compose services', () => {
    // NODE_OPTIONS is Node's own (V8 flags can only be given at start), not AWA's configuration
    const known = new Set([...CONFIG_VARIABLES, 'NODE_OPTIONS']);
    // the worker streams reports: a small young generation keeps its peak within 200 MB (bench sync)
    expect(envOf(service('worker')).NODE_OPTIONS).toBe('--max-semi-space-size=2');
    for (const role of APP_ROLES) {
      const env = envOf(service(role));
      const unknown = Object.keys(env).filter((k) => !known.has(k));
      expect(unknown, `${role} sets variables that src/platform/config.ts does not read`).toEqual([]);
      expect(env.HOST, `${role} HOST`).toBe('0.0.0.0');
      expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/[^@]+@db:5432\//);
      expect(env.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
      expect(env.STORAGE_DRIVER).toBe('s3');
      expect(env.S3_ENDPOINT).toBe('http://minio:9000');
      expect(env.S3_FORCE_PATH_STYLE).toBe('true');
      expect(env.S3_BUCKET).toBeTruthy();
      // the one-shot init container must create exactly the bucket the app uses
      expect(commandOf(service('minio-init')).join(' ')).toContain(`local/${env.S3_BUCKET}`);
    }
  });

  const noCompose = skipWithout(COMPOSE, '"is accepted by the real compose tool" in test/deploy.test.ts');
  it.skipIf(noCompose)('is accepted by the real compose tool', () => {
    const [cmd, ...pre] = requireTool(COMPOSE);
    const args = [...pre, '-f', composeFile, 'config', '-q'];
    const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.error, `${cmd} ${args.join(' ')}`).toBeUndefined();
    expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\r?\n/g, ' ');
  const instructions = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const of = (name: string) => instructions.filter((l) => l.toUpperCase().startsWith(`${name} `));

  it('has an ENTRYPOINT that runs bin/awa.mjs with node', () => {
    const entry = of('ENTRYPOINT');
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatch(/\[\s*"node"\s*,\s*"bin\/awa\.mjs"\s*\]/);
  });

  it('has a HEALTHCHECK on /ready', () => {
    const hc = of('HEALTHCHECK');
    expect(hc).toHaveLength(1);
    expect(hc[0]).toContain('/ready');
  });

  it('runs as a non-root user', () => {
    const users = of('USER');
    expect(users.length).toBeGreaterThan(0);
    const last = users.at(-1)!.slice('USER '.length).trim().split(':')[0];
    expect(['root', '0']).not.toContain(last);
  });

  it('copies only paths that exist in the repo', () => {
    const sources: string[] = [];
    for (const line of of('COPY')) {
      const rest = line.slice('COPY '.length).trim();
      const flags = rest.match(/^(--\S+\s+)*/)?.[0] ?? '';
      if (/--from=/.test(flags)) continue; // copied from another build stage, not from the repo
      const body = rest.slice(flags.length);
      const args = body.startsWith('[') ? (JSON.parse(body) as string[]) : body.split(/\s+/);
      sources.push(...args.slice(0, -1));
    }
    expect(sources.length).toBeGreaterThan(0);
    const missing = sources.filter((s) => !existsSync(path.join(root, s)));
    expect(missing, 'COPY sources missing from the repo').toEqual([]);
  });
});
