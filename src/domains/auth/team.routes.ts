import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';

/** Team and access for admins: users, API tokens and the audit log. */
export async function teamRoutes(_fastify: FastifyInstance, _deps: HttpDeps): Promise<void> {}
