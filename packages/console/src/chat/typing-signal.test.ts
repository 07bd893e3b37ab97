import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_MS, RESEND_MS, TypingSignal } from './typing-signal';

describe('TypingSignal', () => {
  let sent: boolean[];
  let signal: TypingSignal;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    signal = new TypingSignal((typing) => sent.push(typing));
  });
  afterEach(() => vi.useRealTimers());

  it('says true when typing starts, then at most once per RESEND_MS while it goes on', () => {
    signal.input('h');
    expect(sent).toEqual([true]);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(250);
      signal.input('he'.repeat(i + 1));
    }
    // 2.5 s of keystrokes: nothing more yet.
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(RESEND_MS - 2_500);
    signal.input('hello');
    expect(sent).toEqual([true, true]);
    signal.input('hello!');
    expect(sent).toEqual([true, true]);
  });

  it('says false after IDLE_MS without a keystroke, once', () => {
    signal.input('h');
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, false]);
    vi.advanceTimersByTime(IDLE_MS * 3);
    expect(sent).toEqual([true, false]);
  });

  it('each keystroke pushes the idle end back', () => {
    signal.input('a');
    vi.advanceTimersByTime(IDLE_MS - 100);
    signal.input('ab');
    vi.advanceTimersByTime(IDLE_MS - 100);
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([true, true, false]);
  });

  it('says false on send (stop) and when the input is emptied, and only after a true', () => {
    signal.stop();
    signal.input('');
    expect(sent).toEqual([]);
    signal.input('x');
    signal.input('');
    expect(sent).toEqual([true, false]);
    // Typing again right after is a new start: said at once.
    signal.input('y');
    signal.stop();
    expect(sent).toEqual([true, false, true, false]);
    // No idle false after a stop.
    vi.advanceTimersByTime(IDLE_MS * 2);
    expect(sent).toEqual([true, false, true, false]);
  });
});
