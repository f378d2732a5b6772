import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { requestLogger } from './request-logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level, base: { service: 'awa' } }, out), lines };
}

describe('requestLogger (req.log)', () => {
  it('writes what a pino child bound to the request id writes, at the levels that are on', () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { request_id: 'r-1' }, {}) as pino.Logger;
    log.info({ a: 1 }, 'skipped');
    log.warn({ b: 2 }, 'kept');
    log.error(new Error('boom'));
    expect(lines.map(({ time: _t, pid: _p, hostname: _h, ...l }) => l)).toEqual([
      { level: 40, service: 'awa', request_id: 'r-1', b: 2, msg: 'kept' },
      expect.objectContaining({ level: 50, request_id: 'r-1', msg: 'boom' }),
    ]);
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.level).toBe('warn');
  });

  it('follows a level change, and its own children keep the request id', () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { request_id: 'r-2' }, {}) as pino.Logger;
    log.level = 'debug';
    log.debug('now on');
    log.child({ part: 'x' }).info('from a child');
    expect(lines.map((l) => [l.msg, l.request_id, l.part])).toEqual([
      ['now on', 'r-2', undefined],
      ['from a child', 'r-2', 'x'],
    ]);
    expect(logger.level).toBe('warn'); // the process logger is untouched
  });

  it('gives a route with its own log level a real child at once', () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { request_id: 'r-3' }, { level: 'debug' }) as pino.Logger;
    log.debug('route debug');
    expect(lines.map((l) => [l.msg, l.request_id])).toEqual([['route debug', 'r-3']]);
  });
});
