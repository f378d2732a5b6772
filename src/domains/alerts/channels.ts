import type { Redis } from 'ioredis';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import { messageOf } from '../../platform/errors.ts';
import type { Sleep } from '../../platform/http/client.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { Channel, Delivery, SendOutcome, Target } from './alerts.types.ts';
import { createEmailClient, type EmailClient } from './email.client.ts';
import { markRepeated } from './render.ts';
import type { ConfigTarget } from './targets.repo.ts';
import { createTelegramClient, type TelegramClient } from './telegram.client.ts';
import { createWebhookClient, type WebhookClient } from './webhook.client.ts';

/** The three channels behind one face: how many parts a message has, and sending one of them. */
export interface Channels {
  telegram?: TelegramClient;
  email?: EmailClient;
  webhook: WebhookClient;
  configured(channel: Channel): boolean;
  partsOf(target: Target, d: Delivery): number;
  /**
   * Waits for the target's rate limit; called before a part is marked in flight, so a worker killed
   * while it waits leaves nothing that looks half-sent.
   */
  waitTurn(target: Target): Promise<void>;
  /** `repeated`: this part may have gone out already (a crash cut off its first send). */
  send(target: Target, d: Delivery, part: number, repeated: boolean): Promise<SendOutcome>;
  /** Checks each configured channel (bot token and chats, SMTP login): the problems, by channel. */
  check(): Promise<Partial<Record<Channel, string>>>;
  close(): void;
}

export interface ChannelDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  redis?: Redis;
  metrics?: Metrics;
  sleep?: Sleep;
}

export function createChannels(deps: ChannelDeps): Channels {
  const { config } = deps;
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? createTelegramClient({
        token: config.TELEGRAM_BOT_TOKEN,
        baseUrl: config.TELEGRAM_API_BASE_URL,
        redis: deps.redis,
        metrics: deps.metrics,
        log: deps.log,
        clock: deps.clock,
        sleep: deps.sleep,
      })
    : undefined;
  const email = config.SMTP_URL
    ? createEmailClient({ url: config.SMTP_URL, from: config.ALERT_EMAIL_FROM })
    : undefined;
  const webhook = createWebhookClient({ metrics: deps.metrics, log: deps.log });
  const missing = (what: string): SendOutcome => ({
    ok: false,
    permanent: false,
    error: `${what} is not set`,
  });

  return {
    telegram,
    email,
    webhook,
    configured: (ch) => (ch === 'telegram' ? !!telegram : ch === 'email' ? !!email : true),
    partsOf: (target, d) => (target.channel === 'telegram' ? d.payload.parts.length : 1),
    waitTurn: async (target) => {
      if (target.channel === 'telegram') await telegram?.waitTurn(target.address);
    },
    async send(target, d, part, repeated) {
      if (target.channel === 'telegram') {
        if (!telegram) return missing('TELEGRAM_BOT_TOKEN');
        const text = d.payload.parts[part]!;
        return telegram.sendMessage(target.address, repeated ? markRepeated(text) : text, true);
      }
      if (target.channel === 'email') {
        if (!email) return missing('SMTP_URL');
        return email.send(target.address, d.payload, d.key);
      }
      return webhook.send(target.address, target.secret ?? '', d.key, d.payload, d.kind);
    },
    async check() {
      const out: Partial<Record<Channel, string>> = {};
      if (telegram) {
        try {
          await telegram.getMe();
          for (const chat of config.TELEGRAM_CHAT_ID) await telegram.getChat(chat);
        } catch (err) {
          out.telegram = messageOf(err);
        }
      }
      if (email) await email.verify().catch((err) => (out.email = messageOf(err)));
      return out;
    },
    close: () => email?.close(),
  };
}

/** The targets the environment names (TELEGRAM_CHAT_ID, ALERT_EMAIL_TO, WEBHOOK_URLS). */
export function configTargets(config: Config): ConfigTarget[] {
  return [
    ...(config.TELEGRAM_BOT_TOKEN ? config.TELEGRAM_CHAT_ID : []).map((address) => ({
      channel: 'telegram' as const,
      address,
      secret: null,
      minSeverity: config.TELEGRAM_MIN_SEVERITY,
    })),
    ...(config.SMTP_URL ? config.ALERT_EMAIL_TO : []).map((address) => ({
      channel: 'email' as const,
      address,
      secret: null,
      minSeverity: config.ALERT_EMAIL_MIN_SEVERITY,
    })),
    ...config.WEBHOOK_URLS.map((address) => ({
      channel: 'webhook' as const,
      address,
      secret: config.WEBHOOK_SECRET ?? null,
      minSeverity: 'info' as const,
    })),
  ];
}
