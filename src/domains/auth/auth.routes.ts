import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who the token belongs to',
        response: { 200: Type.Object({ name: Type.String(), role: Type.String() }) },
      },
    },
    async (req) => ({ name: req.principal!.name, role: req.principal!.role }),
  );
}
