import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CustomerTyping, EXPIRE_MS } from './customer-typing';

describe('CustomerTyping', () => {
  let typing: CustomerTyping;
  beforeEach(() => {
    vi.useFakeTimers();
    typing = new CustomerTyping();
  });
  afterEach(() => {
    typing.stop();
    vi.useRealTimers();
  });
  const shown = () => [...typing.store.get().keys()].sort();

  it('shows a session typing until typing:false', () => {
    typing.set(1, true);
    typing.set(2, true);
    expect(shown()).toEqual([1, 2]);
    typing.set(1, false);
    expect(shown()).toEqual([2]);
  });

  it('forgets it EXPIRE_MS after the last signal', () => {
    typing.set(1, true);
    vi.advanceTimersByTime(EXPIRE_MS - 1_000);
    typing.set(1, true);
    vi.advanceTimersByTime(EXPIRE_MS - 1);
    expect(shown()).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(shown()).toEqual([]);
  });

  it('clear (a customer message, the chat closed) ends it at once, and its timer with it', () => {
    typing.set(1, true);
    const before = typing.store.get();
    typing.set(1, true);
    expect(typing.store.get()).toBe(before);
    typing.clear(1);
    expect(shown()).toEqual([]);
    typing.set(1, true);
    vi.advanceTimersByTime(EXPIRE_MS / 2);
    typing.clear(1);
    typing.set(1, true);
    // The first timer would have fired here; the second one keeps it.
    vi.advanceTimersByTime(EXPIRE_MS / 2 + 1);
    expect(shown()).toEqual([1]);
  });

  it('carries what the customer is typing (2021) until an empty preview, a message or the time-out', () => {
    typing.preview(1, 'where is my ord');
    expect(typing.store.get().get(1)).toBe('where is my ord');
    // A typing signal keeps the text; an empty preview clears it all.
    typing.set(1, true);
    expect(typing.store.get().get(1)).toBe('where is my ord');
    typing.preview(1, '');
    expect(shown()).toEqual([]);
    typing.set(2, true);
    expect(typing.store.get().get(2)).toBe('');
    typing.preview(2, 'hello');
    vi.advanceTimersByTime(EXPIRE_MS);
    expect(shown()).toEqual([]);
  });
});
