import { readRequestBody, startServer } from '../helpers/http.ts';

/**
 * A local Telegram Bot API (https://core.telegram.org/bots/api): `POST /bot<token>/<method>` with a
 * JSON or form body, answering `{ok, result}` or `{ok: false, error_code, description, parameters?}`.
 * getMe, getChat and sendMessage; sendMessage checks HTML parse mode the way Telegram does (only its
 * tags, balanced, `<`, `>` and `&` escaped) and the 4096-character limit. Tests script 429s with
 * `parameters.retry_after`, 403s (bot blocked) and 5xx per chat, and read back every accepted message
 * with the time it arrived, to check the per-chat and overall rates.
 */

export interface FakeMessage {
  chat_id: string;
  text: string;
  parse_mode?: string;
  /** Date.now() when it arrived. */
  at: number;
  message_id: number;
}

export type TelegramStep =
  | { status: 429; retryAfter: number }
  | { status: 403; description?: string }
  | { status: 400; description: string }
  | { status: 500 | 502 };

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
]);

/** Telegram's HTML parse mode rules: the reason it would refuse `text`, or undefined. */
export function htmlProblem(text: string): string | undefined {
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/i.exec(text.slice(i));
      if (!m) return `Unsupported entity at byte offset ${i}`;
      continue;
    }
    if (ch === '>') return `Unexpected end tag at byte offset ${i}`;
    if (ch !== '<') continue;
    const m = /^<(\/?)([a-z-]+)(\s[^<>]*)?>/i.exec(text.slice(i));
    if (!m) return `Unclosed start tag at byte offset ${i}`;
    const [whole, close, name] = m;
    const tag = name!.toLowerCase();
    if (!TAGS.has(tag)) return `Unsupported start tag "${tag}" at byte offset ${i}`;
    if (close) {
      if (open.pop() !== tag) return `Can't find end tag corresponding to start tag at byte offset ${i}`;
    } else open.push(tag);
    i += whole.length - 1;
  }
  return open.length ? `Can't find end tag corresponding to start tag "${open.at(-1)}"` : undefined;
}

export async function startFakeTelegram(opts: { token?: string; chats?: string[]; delayMs?: number } = {}) {
  const token = opts.token ?? '123456:AAFakeTokenForTestsOnly_abcdefghij';
  const chats = new Set(opts.chats ?? ['-1001', '-1002']);
  const messages: FakeMessage[] = [];
  const refused: Array<{ chat_id: string; status: number; description: string }> = [];
  const scripts = new Map<string, TelegramStep[]>();
  const calls: string[] = [];
  let nextId = 1;

  const server = await startServer(async (req, res) => {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const raw = await readRequestBody(req);
    const type = req.headers['content-type'] ?? '';
    const body: Record<string, unknown> = !raw
      ? {}
      : type.includes('json')
        ? JSON.parse(raw)
        : Object.fromEntries(new URLSearchParams(raw));
    const answer = (status: number, payload: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    const fail = (code: number, description: string, extra: object = {}) => {
      if (m?.[2] === 'sendMessage')
        refused.push({ chat_id: String(body.chat_id), status: code, description });
      answer(code, { ok: false, error_code: code, description, ...extra });
    };
    if (!m) return fail(404, 'Not Found');
    const [, tok, method] = m;
    calls.push(method!);
    if (tok !== token) return fail(401, 'Unauthorized');
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    if (method === 'getMe') {
      return answer(200, {
        ok: true,
        result: { id: 123456, is_bot: true, first_name: 'AWA', username: 'awa_test_bot' },
      });
    }
    const chat = String(body.chat_id ?? '');
    if (method === 'getChat') {
      if (!chats.has(chat)) return fail(400, 'Bad Request: chat not found');
      return answer(200, {
        ok: true,
        result: { id: Number(chat), type: 'supergroup', title: `Chat ${chat}` },
      });
    }
    if (method !== 'sendMessage') return fail(404, 'Not Found: method not found');
    const step = scripts.get(chat)?.shift();
    if (step?.status === 429) {
      return fail(429, `Too Many Requests: retry after ${step.retryAfter}`, {
        parameters: { retry_after: step.retryAfter },
      });
    }
    if (step?.status === 403) return fail(403, step.description ?? 'Forbidden: bot was blocked by the user');
    if (step?.status === 400) return fail(400, step.description);
    if (step) return fail(step.status, 'Internal Server Error');
    if (!chats.has(chat)) return fail(400, 'Bad Request: chat not found');
    const text = String(body.text ?? '');
    if (!text.trim()) return fail(400, 'Bad Request: message text is empty');
    if (body.parse_mode === 'HTML') {
      const problem = htmlProblem(text);
      if (problem) return fail(400, `Bad Request: can't parse entities: ${problem}`);
    }
    const visible = body.parse_mode === 'HTML' ? text.replace(/<[^>]+>/g, '').replace(/&[^;]+;/g, '.') : text;
    if ([...visible].length > 4096) return fail(400, 'Bad Request: message is too long');
    const message = {
      chat_id: chat,
      text,
      parse_mode: body.parse_mode as string | undefined,
      at: Date.now(),
      message_id: nextId++,
    };
    messages.push(message);
    answer(200, {
      ok: true,
      result: {
        message_id: message.message_id,
        chat: { id: Number(chat) },
        date: Math.floor(message.at / 1000),
        text,
      },
    });
  });

  return {
    url: server.url,
    token,
    messages,
    refused,
    calls,
    addChat: (id: string) => chats.add(id),
    /** Answers for this chat's next sendMessage calls, in order. */
    script: (chat: string, ...steps: TelegramStep[]) =>
      scripts.set(chat, [...(scripts.get(chat) ?? []), ...steps]),
    /** The shortest gap between two messages to one chat (ms), and the most messages in any 1-second window. */
    rates() {
      let minGapMs = Infinity;
      const byChat = new Map<string, number[]>();
      for (const msg of messages) byChat.set(msg.chat_id, [...(byChat.get(msg.chat_id) ?? []), msg.at]);
      for (const ts of byChat.values())
        for (let i = 1; i < ts.length; i++) minGapMs = Math.min(minGapMs, ts[i]! - ts[i - 1]!);
      const all = messages.map((x) => x.at).sort((a, b) => a - b);
      let maxPerSecond = 0;
      for (let i = 0, j = 0; i < all.length; i++) {
        while (all[i]! - all[j]! >= 1000) j++;
        maxPerSecond = Math.max(maxPerSecond, i - j + 1);
      }
      return { minGapMs, maxPerSecond };
    },
    close: () => server.close(),
  };
}

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;
