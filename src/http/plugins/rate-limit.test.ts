import { describe, expect, it } from 'vitest';
import { MemoryCounter } from './rate-limit.ts';

describe('MemoryCounter', () => {
  it('counts a key within its window, which starts at its first request, then starts a new one', () => {
    let now = 1_000;
    const c = new MemoryCounter(60_000, 100, () => now);
    expect(c.hit('a')).toEqual({ count: 1, resetMs: 60_000 });
    now += 59_000;
    expect(c.hit('a')).toEqual({ count: 2, resetMs: 1_000 });
    expect(c.hit('b')).toEqual({ count: 1, resetMs: 60_000 }); // each key has its own window
    now += 1_000;
    expect(c.hit('a')).toEqual({ count: 1, resetMs: 60_000 });
  });

  it('holds at most maxKeys windows: ended ones go first, else the oldest', () => {
    let now = 0;
    const c = new MemoryCounter(10_000, 3, () => now);
    c.hit('a');
    now = 5_000;
    c.hit('b');
    c.hit('b');
    c.hit('c');
    now = 10_000; // a's window has ended: room is made from it, b and c keep their counts
    c.hit('d');
    expect(c.hit('b').count).toBe(3);
    expect(c.hit('c').count).toBe(2);
    c.hit('e'); // all live: the oldest (b) gives way
    expect(c.hit('c').count).toBe(3);
    expect(c.hit('b').count).toBe(1);
  });
});
