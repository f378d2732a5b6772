import { createHash, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { readRequestBody, startServer } from '../helpers/http.ts';

/**
 * A local Amazon SQS speaking the JSON protocol that @aws-sdk/client-sqs uses: POST / with
 * `X-Amz-Target: AmazonSQS.<Action>` and `content-type: application/x-amz-json-1.0`. Enough of it
 * for AWA's consumer and its tests: SendMessage, ReceiveMessage (long polling that answers as soon
 * as a message is visible, MaxNumberOfMessages, VisibilityTimeout, ApproximateReceiveCount), the
 * visibility timeout and redelivery of messages not deleted, DeleteMessage(Batch) with SQS's rule
 * that only the newest receipt handle deletes, GetQueueAttributes, and the documented JSON errors
 * (a missing queue answers `QueueDoesNotExist` with the `AWS.SimpleQueueService.NonExistentQueue`
 * query-error code). Bodies carry MD5OfBody, which the SDK checks. Request signatures are not checked.
 */

interface Message {
  id: string;
  body: string;
  md5: string;
  sentAt: number;
  visibleAt: number;
  receives: number;
  firstReceiveAt?: number;
  handle?: string;
}

interface Queue {
  name: string;
  url: string;
  visibilityTimeoutS: number;
  messages: Message[];
}

export interface SqsCall {
  action: string;
  at: number;
  body: Record<string, unknown>;
  status: number;
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

export async function startFakeSqs(opts: { accountId?: string; region?: string } = {}) {
  const account = opts.accountId ?? '123456789012';
  const region = opts.region ?? 'eu-west-1';
  const queues = new Map<string, Queue>();
  const calls: SqsCall[] = [];
  const waiters = new Set<() => void>();
  let baseUrl = '';

  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const reply = (res: http.ServerResponse, call: SqsCall, status: number, body: unknown, h = {}) => {
    call.status = status;
    if (res.destroyed) return;
    res
      .writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': randomUUID(),
        ...h,
      })
      .end(JSON.stringify(body));
  };
  const error = (res: http.ServerResponse, call: SqsCall, type: string, queryCode: string, message: string) =>
    reply(
      res,
      call,
      400,
      { __type: `com.amazonaws.sqs#${type}`, message },
      {
        'x-amzn-query-error': `${queryCode};Sender`,
      },
    );

  function queueOf(url: unknown): Queue | undefined {
    if (typeof url !== 'string') return undefined;
    const name = url.split('/').pop() ?? '';
    return queues.get(name);
  }

  function visible(q: Queue, now: number): Message[] {
    return q.messages.filter((m) => m.visibleAt <= now);
  }

  function take(q: Queue, max: number, visibilityS: number): Message[] {
    const now = Date.now();
    const out = visible(q, now).slice(0, max);
    for (const m of out) {
      m.receives++;
      m.firstReceiveAt ??= now;
      m.visibleAt = now + visibilityS * 1000;
      m.handle = `${m.id}#${m.receives}#${randomUUID()}`;
    }
    return out;
  }

  /** Resolves when a message of `q` may be visible (one sent, or a visibility timeout ending). */
  function waitFor(q: Queue, ms: number, res: http.ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const nextVisible = Math.min(...q.messages.map((m) => m.visibleAt)) - Date.now();
      const timer = setTimeout(
        done,
        Math.max(0, Math.min(ms, Number.isFinite(nextVisible) ? nextVisible : ms)),
      );
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        res.off('close', done);
        resolve();
      }
      waiters.add(done);
      res.on('close', done);
    });
  }

  async function receive(res: http.ServerResponse, call: SqsCall) {
    const b = call.body;
    const q = queueOf(b.QueueUrl);
    if (!q)
      return error(
        res,
        call,
        'QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        'The specified queue does not exist.',
      );
    const max = Number(b.MaxNumberOfMessages ?? 1);
    if (!(max >= 1 && max <= 10)) {
      return error(
        res,
        call,
        'InvalidParameterValue',
        'InvalidParameterValue',
        'MaxNumberOfMessages must be 1 to 10',
      );
    }
    const visibilityS = Number(b.VisibilityTimeout ?? q.visibilityTimeoutS);
    const waitS = Number(b.WaitTimeSeconds ?? 0);
    const until = Date.now() + waitS * 1000;
    // the request's socket closing before the answer = the client gave up waiting
    const gone = () => res.destroyed || res.socket?.destroyed === true;
    let got = take(q, max, visibilityS);
    while (got.length === 0 && Date.now() < until && !gone()) {
      await waitFor(q, until - Date.now(), res);
      got = take(q, max, visibilityS);
    }
    // a message handed to a client that is gone stays invisible until its timeout, as on SQS
    reply(res, call, 200, {
      Messages: got.map((m) => ({
        MessageId: m.id,
        ReceiptHandle: m.handle,
        MD5OfBody: m.md5,
        Body: m.body,
        Attributes: {
          ApproximateReceiveCount: String(m.receives),
          SentTimestamp: String(m.sentAt),
          ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt),
        },
      })),
    });
  }

  /** SQS: only the newest receipt handle deletes; an older one "succeeds" and deletes nothing. */
  function remove(q: Queue, handle: unknown): boolean {
    if (typeof handle !== 'string' || !handle.includes('#')) return false;
    const i = q.messages.findIndex((m) => m.handle === handle);
    if (i >= 0) q.messages.splice(i, 1);
    return true;
  }

  const api = {
    send(queueName: string, body: string): string {
      const q = queues.get(queueName);
      if (!q) throw new Error(`no queue ${queueName}`);
      const m: Message = {
        id: randomUUID(),
        body,
        md5: md5(body),
        sentAt: Date.now(),
        visibleAt: Date.now(),
        receives: 0,
      };
      q.messages.push(m);
      wake();
      return m.id;
    },
  };

  const server = await startServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const raw = await readRequestBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {}
    const action = target.replace(/^AmazonSQS\./, '');
    const call: SqsCall = { action, at: Date.now(), body, status: 0 };
    calls.push(call);
    if (req.method !== 'POST' || !target.startsWith('AmazonSQS.')) {
      return error(
        res,
        call,
        'InvalidAction',
        'InvalidAction',
        `not an SQS JSON request (${target || 'no X-Amz-Target'})`,
      );
    }
    if (action === 'ReceiveMessage') return receive(res, call);
    if (action === 'CreateQueue') {
      const name = String(body.QueueName);
      if (!queues.has(name)) {
        const attrs = (body.Attributes ?? {}) as Record<string, string>;
        queues.set(name, {
          name,
          url: `${baseUrl}/${account}/${name}`,
          visibilityTimeoutS: Number(attrs.VisibilityTimeout ?? 30),
          messages: [],
        });
      }
      return reply(res, call, 200, { QueueUrl: queues.get(name)!.url });
    }
    const q = queueOf(body.QueueUrl);
    if (!q)
      return error(
        res,
        call,
        'QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        'The specified queue does not exist.',
      );
    if (action === 'SendMessage') {
      const text = String(body.MessageBody ?? '');
      const id = api.send(q.name, text);
      return reply(res, call, 200, { MessageId: id, MD5OfMessageBody: md5(text) });
    }
    if (action === 'DeleteMessage') {
      if (!remove(q, body.ReceiptHandle)) {
        return error(
          res,
          call,
          'ReceiptHandleIsInvalid',
          'ReceiptHandleIsInvalid',
          'The input receipt handle is invalid.',
        );
      }
      return reply(res, call, 200, {});
    }
    if (action === 'DeleteMessageBatch') {
      const entries = (body.Entries ?? []) as Array<{ Id: string; ReceiptHandle: string }>;
      const ok = entries.filter((e) => remove(q, e.ReceiptHandle));
      const bad = entries.filter((e) => !ok.includes(e));
      return reply(res, call, 200, {
        Successful: ok.map((e) => ({ Id: e.Id })),
        Failed: bad.map((e) => ({
          Id: e.Id,
          Code: 'ReceiptHandleIsInvalid',
          SenderFault: true,
          Message: 'invalid',
        })),
      });
    }
    if (action === 'GetQueueAttributes') {
      const now = Date.now();
      return reply(res, call, 200, {
        Attributes: {
          ApproximateNumberOfMessages: String(visible(q, now).length),
          ApproximateNumberOfMessagesNotVisible: String(q.messages.length - visible(q, now).length),
          VisibilityTimeout: String(q.visibilityTimeoutS),
          QueueArn: `arn:aws:sqs:${region}:${account}:${q.name}`,
        },
      });
    }
    return error(res, call, 'InvalidAction', 'InvalidAction', `action ${action} is not supported here`);
  });
  baseUrl = server.url;

  return {
    url: server.url,
    region,
    calls,
    /** Creates a queue (idempotent) and returns its URL and ARN. */
    createQueue(name: string, visibilityTimeoutS = 30) {
      if (!queues.has(name)) {
        queues.set(name, { name, url: `${server.url}/${account}/${name}`, visibilityTimeoutS, messages: [] });
      }
      return { url: queues.get(name)!.url, arn: `arn:aws:sqs:${region}:${account}:${name}` };
    },
    /** Puts a message on the queue (what Amazon does when an offer changes); returns its MessageId. */
    send: api.send,
    /** Messages still on the queue (visible or in flight). */
    depth: (name: string) => queues.get(name)?.messages.length ?? 0,
    receiveCounts: (name: string) => queues.get(name)?.messages.map((m) => m.receives) ?? [],
    close: async () => {
      wake();
      await server.close();
    },
  };
}

export type FakeSqs = Awaited<ReturnType<typeof startFakeSqs>>;
