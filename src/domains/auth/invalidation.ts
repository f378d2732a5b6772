import pg from 'pg';
import type { Logger } from '../../platform/logger.ts';

/** The Postgres channel revocations are announced on; the payload is cache keys, space-separated. */
export const AUTH_CHANNEL = 'awa_auth';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * `LISTEN awa_auth` on a connection of its own, so a revoke, disable or logout in any process (the
 * CLI beside a running `awa start`, another replica) reaches this process's auth cache at once.
 * When the connection drops it reports `down` (the Authenticator then caches briefly) and reconnects
 * with backoff; notifications missed meanwhile are covered by flushing on reconnect.
 */
export class InvalidationListener {
  private client?: pg.Client;
  private retryMs = RETRY_MIN_MS;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private connected = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onKeys: (keys: string[]) => void,
    private readonly onState: (up: boolean) => void,
    private readonly log?: Logger,
  ) {}

  get up(): boolean {
    return this.connected;
  }

  /** Connects once (waiting for it); on failure keeps retrying in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    this.connected = false;
    await c?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const o = this.pool.options;
    // the pool keeps its password non-enumerable: copy fields one by one, not with a spread
    const client = new pg.Client({
      connectionString: o.connectionString,
      host: o.host,
      port: o.port,
      user: o.user,
      password: o.password,
      database: o.database,
      ssl: o.ssl,
      connectionTimeoutMillis: o.connectionTimeoutMillis ?? 5000,
      // ends in `:<pid>` like the pool's own connections: "our" connections when the embedded server
      // decides whether other clients still use it (runtime.ts)
      application_name: `awa-auth-listen:${process.pid}`,
    });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.connected = false;
      client.removeAllListeners();
      client.on('error', () => {});
      client.end().catch(() => {});
      if (this.stopped) return;
      this.log?.warn({ reason: err?.message }, 'auth invalidation listener lost; retrying');
      this.onState(false);
      this.schedule();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (m) => {
      if (m.channel === AUTH_CHANNEL && m.payload) this.onKeys(m.payload.split(' ').filter(Boolean));
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
    } catch (err) {
      lost(err as Error);
      return;
    }
    if (this.stopped || this.client !== client) {
      await client.end().catch(() => {});
      return;
    }
    this.connected = true;
    this.retryMs = RETRY_MIN_MS;
    this.onState(true);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
