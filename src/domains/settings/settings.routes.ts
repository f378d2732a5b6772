import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';

/** The effective configuration a seller cares about, with where each value comes from. */
export async function settingsRoutes(_fastify: FastifyInstance, _deps: HttpDeps): Promise<void> {}
