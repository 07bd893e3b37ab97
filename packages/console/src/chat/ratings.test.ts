import type { RatingOption } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { ratingLabel } from './ratings';

const scale: RatingOption[] = [
  { id: 1, label: { 'zh-CN': '非常满意', en: 'Very satisfied' } },
  { id: 3, label: { 'zh-CN': '不满意', en: ' ' } },
];

describe('ratingLabel', () => {
  it('is the label in the console’s language', () => {
    expect(ratingLabel(scale, 1, 'zh-CN')).toBe('非常满意');
    expect(ratingLabel(scale, 1, 'en')).toBe('Very satisfied');
  });
  it('falls back to the bare number for an id off the scale, no scale, or an empty one', () => {
    expect(ratingLabel(scale, 2, 'en')).toBe('2');
    expect(ratingLabel(scale, -1, 'zh-CN')).toBe('-1');
    expect(ratingLabel(null, 1, 'en')).toBe('1');
    expect(ratingLabel([], 1, 'en')).toBe('1');
  });
  it('uses the other language when one label is blank', () => {
    expect(ratingLabel(scale, 3, 'en')).toBe('不满意');
  });
});
