import type { Redis } from 'ioredis';
import type { Clock } from '../../platform/clock.ts';
import { AppError, messageOf } from '../../platform/errors.ts';
import {
  createHttpClient,
  createTokenBucket,
  type HttpClient,
  isHttpClientError,
  realSleep,
  type Sleep,
  type TokenBucket,
} from '../../platform/http/client.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { SendOutcome } from './alerts.types.ts';

/**
 * Telegram's limits (Bot API FAQ, "My bot is hitting limits"): about one message a second per chat
 * and 30 a second in all. We stay below both: 25/s through the shared client's bucket, and per chat
 * a bucket of 1/s (shared through Redis when configured) plus a second after the previous answer in
 * this process, so the gap Telegram sees never shrinks below a second when one request is slower
 * than the next.
 */
// 22, not 25: the bucket spaces request starts, but arrivals jitter (a bench run at 24/s saw 26
// arrive within one second); the margin keeps every second at Telegram ≤ 25
export const TELEGRAM_PER_SECOND = 22;
export const TELEGRAM_PER_CHAT_PER_SECOND = 1;
const CHAT_GAP_MS = 1000;
// a 429 asking for longer than this reschedules the message instead of parking the worker
const MAX_INLINE_WAIT_S = 60;

interface BotAnswer<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

export interface TelegramOptions {
  token: string;
  baseUrl: string;
  redis?: Redis;
  metrics?: Metrics;
  log?: Logger;
  clock: Clock;
  sleep?: Sleep;
}

export interface TelegramClient {
  /** Checks the token (getMe): the bot's @username, or a `config` error naming TELEGRAM_BOT_TOKEN. */
  getMe(): Promise<string>;
  /** Checks that the bot can reach a chat (getChat): its title, or a `config` error naming the chat. */
  getChat(chatId: string): Promise<string>;
  /** Waits until this chat may get its next message; call right before sendMessage(…, true). */
  waitTurn(chatId: string): Promise<void>;
  sendMessage(chatId: string, html: string, turnTaken?: boolean): Promise<SendOutcome>;
}

/** HTML parse mode's markup undone: what a message says when Telegram refuses its entities. */
export const plainOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

export function createTelegramClient(opts: TelegramOptions): TelegramClient {
  const sleep = opts.sleep ?? realSleep;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const http: HttpClient = createHttpClient({
    api: 'telegram',
    baseUrl: `${base}/bot${opts.token}`,
    // the token sits in the path: keep it out of messages and logs
    secrets: [opts.token],
    ratePerSecond: TELEGRAM_PER_SECOND,
    redis: opts.redis,
    retries: 2,
    timeoutMs: 15_000,
    metrics: opts.metrics,
    logger: opts.log,
    // rate limits run on real time, whatever business clock the caller injects
    sleep,
  });
  const chats = new Map<string, TokenBucket>();
  const nextAt = new Map<string, number>();
  const bucket = (chatId: string) => {
    let b = chats.get(chatId);
    if (!b) {
      b = createTokenBucket({
        api: `telegram-chat-${chatId}`,
        ratePerSecond: TELEGRAM_PER_CHAT_PER_SECOND,
        redis: opts.redis,
        sleep,
      });
      chats.set(chatId, b);
    }
    return b;
  };

  async function waitTurn(chatId: string): Promise<void> {
    const wait = (nextAt.get(chatId) ?? 0) - Date.now();
    if (wait > 0) await sleep(wait);
    await bucket(chatId).acquire();
  }

  async function call<T>(method: string, json: unknown): Promise<{ status: number; body: BotAnswer<T> }> {
    const res = await http.request({
      method: 'POST',
      path: method,
      json,
      // the Bot API explains refusals in its JSON body: read it rather than throw on the status
      allowStatus: [400, 401, 403, 404, 429],
    });
    return { status: res.status, body: res.json<BotAnswer<T>>() };
  }

  const unreachable = (err: unknown) =>
    new AppError('upstream', `TELEGRAM_API_BASE_URL ${base}: cannot reach the Bot API: ${messageOf(err)}`);

  return {
    async getMe() {
      const r = await call<{ username?: string }>('getMe', {}).catch((err) => {
        throw unreachable(err);
      });
      if (!r.body.ok) {
        throw new AppError(
          'config',
          `TELEGRAM_BOT_TOKEN: Telegram refused the token (${r.body.description ?? `HTTP ${r.status}`}); copy it again from @BotFather`,
          [{ field: 'TELEGRAM_BOT_TOKEN', message: r.body.description ?? 'refused' }],
        );
      }
      return `@${r.body.result?.username ?? '?'}`;
    },

    async getChat(chatId) {
      const r = await call<{ title?: string; username?: string; first_name?: string }>('getChat', {
        chat_id: chatId,
      }).catch((err) => {
        throw unreachable(err);
      });
      if (!r.body.ok) {
        throw new AppError(
          'config',
          `TELEGRAM_CHAT_ID ${chatId}: ${r.body.description ?? `HTTP ${r.status}`} — add the bot to that group or channel, or send it /start from that account, then try again`,
          [{ field: 'TELEGRAM_CHAT_ID', value: chatId, message: r.body.description ?? 'refused' }],
        );
      }
      const c = r.body.result;
      return c?.title ?? c?.username ?? c?.first_name ?? chatId;
    },

    waitTurn,

    async sendMessage(chatId, html, turnTaken = false) {
      let text = html;
      let mode: 'HTML' | undefined = 'HTML';
      for (let attempt = 1; ; attempt++) {
        if (attempt > 1 || !turnTaken) await waitTurn(chatId);
        let r: { status: number; body: BotAnswer<{ message_id: number }> };
        try {
          r = await call('sendMessage', {
            chat_id: chatId,
            text,
            ...(mode ? { parse_mode: mode } : {}),
            link_preview_options: { is_disabled: true },
          });
        } catch (err) {
          nextAt.set(chatId, Date.now() + CHAT_GAP_MS);
          // 5xx and network failures, after the shared client's own retries
          return {
            ok: false,
            permanent: false,
            error: isHttpClientError(err) ? err.message : messageOf(err),
          };
        }
        nextAt.set(chatId, Date.now() + CHAT_GAP_MS);
        if (r.body.ok) return { ok: true };
        const what = `Telegram: ${r.body.description ?? `HTTP ${r.status}`}`;
        if (r.status === 429) {
          const wait = r.body.parameters?.retry_after ?? 1;
          if (wait > MAX_INLINE_WAIT_S || attempt >= 4) {
            return {
              ok: false,
              permanent: false,
              error: what,
              retryAt: new Date(opts.clock.now().getTime() + wait * 1000),
            };
          }
          opts.log?.warn({ chat: chatId, retry_after: wait }, 'telegram asked to slow down');
          await sleep(wait * 1000);
          continue;
        }
        // markup Telegram cannot parse: the words still matter more than the bold, so send them plain
        if (r.status === 400 && mode && /can't parse entities/i.test(r.body.description ?? '')) {
          opts.log?.warn(
            { chat: chatId, error: r.body.description },
            'telegram refused the markup; sending plain',
          );
          text = plainOf(html);
          mode = undefined;
          continue;
        }
        // 400 chat not found, 401 bad token, 403 blocked or kicked: sending again changes nothing
        return { ok: false, permanent: true, error: what };
      }
    },
  };
}
