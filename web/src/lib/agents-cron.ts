/**
 * A cron expression (5 fields, UTC: the scheduler runs cron in UTC) in words, for the forms AWA's
 * schedules take: every N minutes, hourly, daily, on weekdays, monthly. Anything else returns null
 * and the page shows the expression alone rather than a guess.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const isInt = (s: string) => /^\d+$/.test(s);
const pad = (n: number) => String(n).padStart(2, '0');

function dayNumber(s: string): number | null {
  const n = isInt(s) ? Number(s) : NAMES[s.toLowerCase()];
  if (n === undefined || n > 7) return null;
  return n % 7;
}

/** `1`, `1-5`, `1,3,5`, `mon-fri` → "Monday", "Monday to Friday", "Monday, Wednesday and Friday". */
function daysOfWeek(field: string): string | null {
  const range = /^(\w+)-(\w+)$/.exec(field);
  if (range) {
    const a = dayNumber(range[1]!);
    const b = dayNumber(range[2]!);
    if (a === null || b === null) return null;
    if (a === 1 && b === 5) return 'on weekdays';
    return `${DAYS[a]} to ${DAYS[b]}`;
  }
  const days = field.split(',').map(dayNumber);
  if (days.some((d) => d === null)) return null;
  const names = days.map((d) => `${DAYS[d!]}`);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `every ${list}`;
}

export function describeCron(cron: string | null | undefined): string | null {
  if (!cron) return null;
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return null;
  const [min, hour, dom, month, dow] = f as [string, string, string, string, string];
  if (month !== '*') return null;
  const step = /^\*\/(\d+)$/.exec(min);
  if (step && hour === '*' && dom === '*' && dow === '*') {
    const n = Number(step[1]);
    return n === 1 ? 'every minute' : `every ${n} minutes`;
  }
  if (min === '*' && hour === '*' && dom === '*' && dow === '*') return 'every minute';
  if (!isInt(min) || Number(min) > 59) return null;
  if (hour === '*' && dom === '*' && dow === '*') {
    return Number(min) === 0 ? 'every hour, on the hour' : `every hour at :${pad(Number(min))}`;
  }
  const hourStep = /^\*\/(\d+)$/.exec(hour);
  if (hourStep && dom === '*' && dow === '*') {
    return `every ${hourStep[1]} hours at :${pad(Number(min))}`;
  }
  if (!isInt(hour) || Number(hour) > 23) return null;
  const at = `at ${pad(Number(hour))}:${pad(Number(min))} UTC`;
  if (dom === '*' && dow === '*') return `daily ${at}`;
  if (dom === '*') {
    const days = daysOfWeek(dow);
    return days ? `${days} ${at}` : null;
  }
  if (dow === '*' && isInt(dom) && Number(dom) >= 1 && Number(dom) <= 31) {
    return `monthly on day ${Number(dom)} ${at}`;
  }
  return null;
}

/** A duration as a person says it: "45 s", "15 min", "2 h", "1 day", "7 days". */
export function formatSpan(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = ms / 1000;
  if (s < 1) return `${Math.round(ms)} ms`;
  if (s < 60) return `${Math.round(s * 10) / 10} s`;
  const min = s / 60;
  if (min < 60) return `${Math.round(min)} min`;
  const h = min / 60;
  if (h < 48) return `${Math.round(h * 10) / 10} h`;
  const d = Math.round(h / 24);
  return `${d} day${d === 1 ? '' : 's'}`;
}
