import { MemoryCache } from '../../platform/cache.ts';
import type { JobDeps } from '../../platform/jobs/index.ts';
import { ensureDemoAdmin } from '../auth/users.service.ts';

export interface DemoLogin {
  url: string;
  email: string;
  password: string;
}

/**
 * The demo admin, through the auth domain's service: created, or given a new generated password on
 * every load (only a hash is kept, so an earlier one cannot be shown again).
 */
export async function demoLogin(deps: JobDeps): Promise<DemoLogin> {
  // a throwaway cache: this process serves nothing; a running server hears the revoke (LISTEN)
  const c = await ensureDemoAdmin(deps.db, new MemoryCache(), { actor: 'awa demo', clock: deps.clock });
  return { url: `http://localhost:${deps.config.PORT}`, email: c.email, password: c.password! };
}
