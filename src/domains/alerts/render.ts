import type { Alert, Payload, Severity } from './alerts.types.ts';

/** Telegram's limit for one message's text (Bot API sendMessage, `text`: 1-4096 characters). */
export const TELEGRAM_MAX = 4096;
// room for the "possibly repeated" mark a part gets when it is resent after a crash
const PART_MAX = TELEGRAM_MAX - 64;

/** Telegram's HTML parse mode needs exactly these three escaped (Bot API "HTML style"). */
export const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Splits plain text so each piece, once escaped, fits `max` (an entity is never cut in half). */
function splitPlain(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  let len = 0;
  for (const ch of text) {
    const w = escapeHtml(ch).length;
    if (len + w > max) {
      out.push(escapeHtml(cur));
      cur = '';
      len = 0;
    }
    cur += ch;
    len += w;
  }
  if (cur) out.push(escapeHtml(cur));
  return out;
}

/**
 * Joins self-contained HTML lines (every tag closed on its line) into parts of at most `max`
 * characters, breaking between lines, so each part is valid markup on its own. A line longer than
 * a part loses its markup and is cut into plain pieces.
 */
export function chunkLines(lines: { html: string; plain: string }[], max = PART_MAX): string[] {
  const parts: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur) parts.push(cur);
    cur = '';
  };
  for (const line of lines) {
    if (line.html.length > max) {
      flush();
      parts.push(...splitPlain(line.plain, max));
      continue;
    }
    if (cur && cur.length + 1 + line.html.length > max) flush();
    cur = cur ? `${cur}\n${line.html}` : line.html;
  }
  flush();
  return parts;
}

const MARK: Record<Severity, string> = { critical: '🔴', warning: '🟠', info: '🔵' };
const mark = (a: Alert) => (a.event === 'resolved' ? '✅' : MARK[a.severity]);
const verb = (a: Alert) => (a.event === 'resolved' ? 'resolved: ' : a.event === 'escalated' ? 'worse: ' : '');
const ref = (a: Alert) => (a.task_id ? ` (#${a.task_id})` : '');

function line(a: Alert): { html: string; plain: string } {
  const summary = a.summary ? ` — ${a.summary}` : '';
  return {
    html: `${mark(a)} ${verb(a)}<b>${escapeHtml(a.title)}</b>${escapeHtml(summary + ref(a))}`,
    plain: `${mark(a)} ${verb(a)}${a.title}${summary}${ref(a)}`,
  };
}

function headline(kind: 'alert' | 'repeat', severity: Severity, alerts: Alert[], digest: boolean): string {
  const firing = alerts.filter((a) => a.event !== 'resolved').length;
  const resolved = alerts.length - firing;
  const counts = [firing && `${firing} firing`, resolved && `${resolved} resolved`]
    .filter(Boolean)
    .join(', ');
  const types = [...new Set(alerts.map((a) => a.type))];
  const what = types.length === 1 ? types[0] : `${types.length} types`;
  if (kind === 'repeat') return `Still open: ${alerts.length} ${severity} ${what}`;
  if (digest) return `Digest: ${counts} (${what})`;
  return `${severity.toUpperCase()} ${what}: ${counts}`;
}

/** One message about a group's alerts, in every channel's form. */
export function renderAlerts(opts: {
  kind: 'alert' | 'repeat';
  severity: Severity;
  groupKey: string;
  alerts: Alert[];
  key: string;
  digest: boolean;
}): Payload {
  const { alerts } = opts;
  const head = headline(opts.kind, opts.severity, alerts, opts.digest);
  const icon = opts.kind === 'repeat' ? '🔁' : opts.digest ? '🗒' : MARK[opts.severity];
  const lines = alerts.map(line);
  const parts = chunkLines([
    { html: `${icon} <b>${escapeHtml(head)}</b>`, plain: `${icon} ${head}` },
    ...lines,
  ]);
  const text = [head, '', ...lines.map((l) => l.plain)].join('\n');
  const html = `<h3>${escapeHtml(head)}</h3><ul>${lines.map((l) => `<li>${l.html}</li>`).join('')}</ul>`;
  return {
    subject: `[AWA] ${head}${alerts.length === 1 ? ` — ${alerts[0]!.title}` : ''}`.slice(0, 200),
    parts,
    text,
    html,
    data: {
      kind: opts.kind,
      group_key: opts.groupKey,
      severity: opts.severity,
      alerts: alerts.map((a) => ({
        id: a.id,
        alert_key: a.alert_key,
        event: a.event,
        type: a.type,
        severity: a.severity,
        title: a.title,
        summary: a.summary,
        task_id: a.task_id,
        labels: a.labels,
        at: a.at.toISOString(),
      })),
    },
  };
}

export function renderTest(at: Date): Payload {
  const head = 'AWA test message';
  const body = `Notifications reach this destination (sent ${at.toISOString()}).`;
  return {
    subject: `[AWA] ${head}`,
    parts: [`✅ <b>${head}</b>\n${escapeHtml(body)}`],
    text: `${head}\n\n${body}`,
    html: `<h3>${head}</h3><p>${escapeHtml(body)}</p>`,
    data: { kind: 'test', alerts: [] },
  };
}

/** A part sent again after a crash left its first send unknown: Telegram has no way to ask. */
export const markRepeated = (part: string) => `↻ <i>possibly repeated</i>\n${part}`;
