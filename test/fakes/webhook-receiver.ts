import { Webhook } from 'standardwebhooks';
import { readRequestBody, startServer } from '../helpers/http.ts';

/**
 * A webhook receiver that checks every request with the independent `standardwebhooks` package
 * (signature, timestamp tolerance), answers scripted statuses, and keeps what it accepted, counting
 * each webhook-id once as a receiver that deduplicates would.
 */
export async function startWebhookReceiver(secret: string) {
  const verifier = new Webhook(secret);
  const accepted: Array<{
    id: string;
    body: {
      type: string;
      timestamp: string;
      data: { kind: string; alerts: Array<{ task_id: number | null; event: string; title: string }> };
    };
  }> = [];
  const rejected: string[] = [];
  const statuses: number[] = [];
  const server = await startServer(async (req, res) => {
    const body = await readRequestBody(req);
    const status = statuses.shift();
    if (status) return res.writeHead(status).end();
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const payload = verifier.verify(body, headers) as { type: string; timestamp: string; data: unknown };
      accepted.push({ id: String(req.headers['webhook-id']), body: payload as never });
      res.writeHead(204).end();
    } catch (err) {
      rejected.push(String(err));
      res.writeHead(400).end();
    }
  });
  return {
    url: `${server.url}/hook`,
    accepted,
    rejected,
    /** Distinct webhook-ids: what a deduplicating receiver acts on. */
    distinct: () => new Set(accepted.map((a) => a.id)).size,
    answerNext: (...codes: number[]) => statuses.push(...codes),
    close: () => server.close(),
  };
}
