import { describe, expect, it } from 'vitest';
import { fakeTimers } from './test-support';
import { TypingSignal } from './typing';

describe('TypingSignal', () => {
  it('says true when typing starts, again every 3 s while it goes on, false after 5 s of quiet', () => {
    const sent: boolean[] = [];
    const { timers, advance } = fakeTimers();
    const s = new TypingSignal((t) => sent.push(t), timers);
    s.input();
    advance(1_000);
    s.input();
    advance(1_000);
    s.input();
    expect(sent).toEqual([true]);
    advance(1_000);
    s.input(); // 3 s after the first
    expect(sent).toEqual([true, true]);
    advance(4_999);
    expect(sent).toEqual([true, true]);
    advance(1);
    expect(sent).toEqual([true, true, false]);
  });

  it('says false once on send or blur, and nothing when it was not typing', () => {
    const sent: boolean[] = [];
    const { timers, advance } = fakeTimers();
    const s = new TypingSignal((t) => sent.push(t), timers);
    s.stop();
    expect(sent).toEqual([]);
    s.input();
    s.stop();
    s.stop();
    advance(10_000);
    expect(sent).toEqual([true, false]);
  });
});
