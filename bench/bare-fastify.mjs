// The bare-Fastify baseline of the platform bench: the same Fastify AWA uses, no plugins, no logger,
// one route answering a JSON object shaped like GET /api/v1/me. Run as a child process (plain Node)
// so that it is measured the way the `awa start` child is. PORT comes from the environment.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/api/v1/me', async () => ({
  kind: 'token',
  name: 'bench-viewer',
  role: 'viewer',
  email: null,
  must_change_password: false,
  csrf_token: null,
  marketplace: 'DE',
  currency: 'EUR',
}));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
