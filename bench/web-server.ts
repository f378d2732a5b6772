import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { AWA, ROOT, round } from './roi-harness.ts';

/**
 * The server side of the web bench: a sign-in user made through the CLI, password sign-in latency,
 * and GET /api/v1/me with a session cookie against the same call with a bearer token.
 */

/** Raised for the bench: the defaults (600–1,200 a minute) would turn the load runs into 429 tests. */
export const UNLIMITED = {
  RATE_LIMIT_PER_MINUTE_VIEWER: '1000000',
  RATE_LIMIT_PER_MINUTE_OPS: '1000000',
  RATE_LIMIT_PER_MINUTE_ADMIN: '1000000',
};

export interface BenchUser {
  email: string;
  password: string;
}

/** Nearest-rank percentiles of a sample, in ms with one decimal. */
export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN, 1);
  return {
    n: s.length,
    min: round(s[0] ?? NaN, 1),
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    max: round(s[s.length - 1] ?? NaN, 1),
    mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), 1),
  };
}

/**
 * `awa user create --role admin --password-stdin`: a password given on stdin is the user's own, so
 * the first sign-in goes straight to the app (a generated one must be changed first).
 */
export function createUser(env: NodeJS.ProcessEnv, label: string): Promise<BenchUser> {
  const user = {
    email: `bench-${label}-${randomBytes(3).toString('hex')}@awa.example`,
    password: randomBytes(18).toString('base64url'),
  };
  const args = [
    AWA,
    'user',
    'create',
    '--email',
    user.email,
    '--role',
    'admin',
    '--password-stdin',
    '--json',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(user) : reject(new Error(`awa user create exited with ${code}\n${out}`)),
    );
    child.stdin.end(user.password);
  });
}

/** POST /api/v1/auth/login; the session cookie's value, failing loudly on anything but 200 + cookie. */
export async function signInByApi(base: string, user: BenchUser): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  const body = await res.text();
  const cookie = /awa_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (res.status !== 200 || !cookie) {
    throw new Error(
      `web bench: sign-in answered ${res.status} without a session cookie: ${body.slice(0, 300)}`,
    );
  }
  return cookie;
}

/**
 * Sequential successful sign-ins through the real server, timed from the request leaving this
 * process to the whole answer read (Argon2 verify, session insert, Set-Cookie). Successful sign-ins
 * only clear their e-mail+IP failure counter (throttle.ts), so the throttle never engages here.
 */
export async function benchLogins(base: string, user: BenchUser, n: number) {
  const warmup = 10;
  for (let i = 0; i < warmup; i++) await signInByApi(base, user);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await signInByApi(base, user);
    ms.push(performance.now() - t0);
  }
  const latency = summary(ms);
  return {
    what: 'POST /api/v1/auth/login, one at a time, request sent → whole 200 answer read (client side)',
    warmup_logins: warmup,
    logins: n,
    latency_ms: latency,
    budget_p99_ms: 300,
    within_budget: latency.p99 <= 300,
  };
}

/**
 * GET /api/v1/me with the session cookie and with a bearer token, same connections and duration,
 * alternated (ABBA twice) so drift of the machine's load hits both alike.
 */
export async function benchMe(
  base: string,
  token: string,
  cookie: string,
  seconds: number,
  connections: number,
) {
  const headers = {
    bearer: { authorization: `Bearer ${token}` },
    session: { cookie: `awa_session=${cookie}` },
  };
  const run = async (kind: keyof typeof headers, duration: number) => {
    const r = await autocannon({ url: `${base}/api/v1/me`, headers: headers[kind], connections, duration });
    if (r.non2xx || r.errors)
      throw new Error(`web bench: /me with ${kind}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { kind, req_s: Math.round(r.requests.average), p50_ms: r.latency.p50, p99_ms: r.latency.p99 };
  };
  await run('bearer', 2); // warm-up: JIT, pools, the principal caches
  await run('session', 2);
  const runs: Awaited<ReturnType<typeof run>>[] = [];
  for (const kind of [
    'bearer',
    'session',
    'session',
    'bearer',
    'bearer',
    'session',
    'session',
    'bearer',
  ] as const) {
    runs.push(await run(kind, seconds));
  }
  const mean = (kind: string, k: 'req_s' | 'p50_ms' | 'p99_ms') => {
    const of = runs.filter((r) => r.kind === kind);
    return round(of.reduce((s, r) => s + r[k], 0) / of.length, 1);
  };
  const both = (kind: string) => ({
    req_s: mean(kind, 'req_s'),
    p50_ms: mean(kind, 'p50_ms'),
    p99_ms: mean(kind, 'p99_ms'),
  });
  const bearer = both('bearer');
  const session = both('session');
  const ratio = round(session.req_s / bearer.req_s, 3);
  return {
    connections,
    seconds_per_run: seconds,
    runs,
    bearer,
    session,
    session_over_bearer_req_s: ratio,
    within_budget: ratio >= 0.9,
  };
}
