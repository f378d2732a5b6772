import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

/**
 * The queue Amazon delivers notifications to, through the AWS SDK (SQS's JSON protocol, request
 * signing, MD5 checks of bodies). Long polling: a receive waits up to `waitSeconds` for a message and
 * returns as soon as one arrives, so an idle consumer costs one request per 20 s, not a busy loop.
 */

export interface QueueMessage {
  id: string;
  receiptHandle: string;
  body: string;
  /** How many times SQS has handed this message out (1 on the first delivery). */
  receiveCount: number;
}

export interface MessageQueue {
  receive(opts: {
    max: number;
    waitSeconds: number;
    visibilitySeconds: number;
    signal?: AbortSignal;
  }): Promise<QueueMessage[]>;
  /** Deletes by receipt handle; returns the ids SQS refused (they come back after their timeout). */
  delete(messages: Array<Pick<QueueMessage, 'id' | 'receiptHandle'>>): Promise<string[]>;
  /** Messages waiting (ApproximateNumberOfMessages) and in flight (…NotVisible). */
  depth(): Promise<{ waiting: number; inFlight: number }>;
  close(): void;
}

/** `sqs.<region>.amazonaws.com/<account>/<name>` → region; undefined for other hosts (LocalStack, tests). */
export function regionOfQueueUrl(url: string): string | undefined {
  try {
    return /^sqs\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/** Call only when OFFERS_SQS_QUEUE_URL is set. */
export function createSqsQueue(config: Config): MessageQueue {
  const queueUrl = config.OFFERS_SQS_QUEUE_URL;
  if (!queueUrl) throw new AppError('config', 'OFFERS_SQS_QUEUE_URL is not set');
  const client = new SQSClient({
    region: config.OFFERS_SQS_REGION ?? regionOfQueueUrl(queueUrl) ?? 'us-east-1',
    ...(config.OFFERS_SQS_ENDPOINT ? { endpoint: config.OFFERS_SQS_ENDPOINT } : {}),
    ...(config.OFFERS_SQS_ACCESS_KEY_ID && config.OFFERS_SQS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: config.OFFERS_SQS_ACCESS_KEY_ID,
            secretAccessKey: config.OFFERS_SQS_SECRET_ACCESS_KEY,
          },
        }
      : {}),
    // a long poll holds its request open for up to 20 s: the SDK's default retries are enough
    maxAttempts: 3,
  });
  return {
    async receive({ max, waitSeconds, visibilitySeconds, signal }) {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          VisibilityTimeout: visibilitySeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
        { abortSignal: signal },
      );
      return (out.Messages ?? []).flatMap((m) =>
        m.MessageId && m.ReceiptHandle
          ? [
              {
                id: m.MessageId,
                receiptHandle: m.ReceiptHandle,
                body: m.Body ?? '',
                receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
              },
            ]
          : [],
      );
    },
    async delete(messages) {
      if (messages.length === 0) return [];
      const failed: string[] = [];
      // DeleteMessageBatch takes at most 10 entries
      for (let i = 0; i < messages.length; i += 10) {
        const part = messages.slice(i, i + 10);
        const out = await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: part.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receiptHandle })),
          }),
        );
        for (const f of out.Failed ?? []) failed.push(part[Number(f.Id)]?.id ?? String(f.Id));
      }
      return failed;
    },
    async depth() {
      const out = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return {
        waiting: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    },
    close: () => client.destroy(),
  };
}
