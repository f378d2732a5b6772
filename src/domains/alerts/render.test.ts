import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { htmlProblem } from '../../../test/fakes/telegram.ts';
import type { Target } from './alerts.types.ts';
import { notBefore } from './policy.ts';
import { chunkLines, escapeHtml, TELEGRAM_MAX } from './render.ts';
import { newSecret, sign } from './webhook.client.ts';

describe('Telegram HTML', () => {
  it('escapes exactly <, > and &', () => {
    expect(escapeHtml('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; "d"');
  });

  it('breaks between lines into parts that are each valid markup, and cuts an over-long line as plain text', () => {
    const lines = Array.from({ length: 500 }, (_, i) => ({
      html: `<b>${i}</b> &amp; more`,
      plain: `${i} & more`,
    }));
    lines.push({ html: `<b>${'&'.repeat(5000)}</b>`, plain: '&'.repeat(5000) });
    const parts = chunkLines(lines);
    expect(parts.every((p) => p.length <= TELEGRAM_MAX && htmlProblem(p) === undefined)).toBe(true);
    expect(parts.join('\n').match(/<b>\d+<\/b>/g)).toHaveLength(500);
    const cut = parts.filter((p) => !p.includes('<b>'));
    expect(cut.length).toBe(7); // 25,000 escaped characters in parts of 4,032
    expect(cut.join('').replaceAll('&amp;', '&')).toBe('&'.repeat(5000));
  });
});

describe('quiet hours', () => {
  const target = { quiet_start: '22:00', quiet_end: '07:00', timezone: 'Europe/Berlin' } as Target;
  it('holds a warning until the window ends (in the target time zone, across midnight) but never a critical', () => {
    const at = new Date('2026-11-28T23:30:00Z'); // 00:30 in Berlin
    expect(notBefore(target, 'warning', at).toISOString()).toBe('2026-11-29T06:00:00.000Z');
    expect(notBefore(target, 'critical', at)).toEqual(at);
    const day = new Date('2026-11-28T12:00:00Z');
    expect(notBefore(target, 'info', day)).toEqual(day);
  });
});

describe('Standard Webhooks signature', () => {
  it('is what the standardwebhooks package verifies', () => {
    const secret = newSecret();
    const body = JSON.stringify({ type: 'alerts.test', data: { ü: '€' } });
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(ts),
      'webhook-signature': sign(secret, 'msg_1', ts, body),
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
  });
});
