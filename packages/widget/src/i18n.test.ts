import { describe, expect, it } from 'vitest';
import { chooseLanguage, translator } from './i18n';

describe('chooseLanguage', () => {
  it('takes Chinese for any zh* and English for the rest', () => {
    expect(chooseLanguage(['zh-CN'])).toBe('zh-CN');
    expect(chooseLanguage(['zh-TW', 'en'])).toBe('zh-CN');
    expect(chooseLanguage(['zh'])).toBe('zh-CN');
    expect(chooseLanguage(['ZH-hans-CN'])).toBe('zh-CN');
    expect(chooseLanguage(['en-GB', 'zh-CN'])).toBe('en');
    expect(chooseLanguage(['fr-FR'])).toBe('en');
    expect(chooseLanguage([])).toBe('en');
  });

  it('goes down the list to the first language it speaks', () => {
    expect(chooseLanguage(['fr-FR', 'de', 'zh-CN', 'en'])).toBe('zh-CN');
    expect(chooseLanguage(['ja', 'en-US', 'zh-CN'])).toBe('en');
    // "zhx" is not Chinese.
    expect(chooseLanguage(['zhx', 'en'])).toBe('en');
  });
});

describe('translator', () => {
  it('fills the blanks in both languages', () => {
    expect(translator('en')('waiting.place', { n: 3 })).toBe('You are number 3 in the queue.');
    expect(translator('zh-CN')('waiting.place', { n: 3 })).toBe('您在队列中排第 3 位。');
    expect(translator('en')('typing', {})).toBe('{name} is typing…');
  });

  it('has every text in Chinese', () => {
    const en = translator('en');
    const zh = translator('zh-CN');
    for (const key of ['title', 'send', 'endChat', 'rating.submit', 'disconnected'] as const) {
      expect(zh(key)).not.toBe(en(key));
      expect(zh(key)).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
