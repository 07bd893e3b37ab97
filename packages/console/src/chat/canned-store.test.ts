import type { CannedReply } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { matchReplies, slashTokenAt } from './canned-store';

const r = (id: number, shortcut: string, shared = false): CannedReply => ({ id, shortcut, text: `text ${shortcut}`, shared });

describe('slashTokenAt', () => {
  it('finds /word at the start or after a space, up to the caret', () => {
    expect(slashTokenAt('/hi', 3)).toEqual({ start: 0, query: 'hi' });
    expect(slashTokenAt('ok /by', 6)).toEqual({ start: 3, query: 'by' });
    expect(slashTokenAt('/', 1)).toEqual({ start: 0, query: '' });
  });
  it('ignores a slash inside a word or a URL', () => {
    expect(slashTokenAt('a/b', 3)).toBeNull();
    expect(slashTokenAt('http://x', 8)).toBeNull();
    expect(slashTokenAt('/hi there', 9)).toBeNull();
  });
});

describe('matchReplies', () => {
  const replies = [r(1, 'hi'), r(2, 'hi', true), r(3, 'hours', true), r(4, 'bye')];
  it('puts exact matches first, then prefixes, case-insensitively', () => {
    expect(matchReplies(replies, 'H').map((x) => x.id)).toEqual([1, 2, 3]);
    expect(matchReplies(replies, 'hi').map((x) => x.id)).toEqual([1, 2]);
    expect(matchReplies(replies, 'x')).toEqual([]);
  });
});
