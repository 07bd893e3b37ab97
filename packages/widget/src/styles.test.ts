/** WCAG AA: every text colour of styles.css against the backgrounds it is shown on. */
import { describe, expect, it } from 'vitest';
import css from './styles.css?raw';

function palette(source: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const m of source.matchAll(/--(c-[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) vars.set(m[1] as string, (m[2] as string).toLowerCase());
  return vars;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [text, background]: where each text colour appears. */
const PAIRS: [string, string][] = [
  ['c-text', 'c-bg'],
  ['c-text', 'c-soft'],
  ['c-muted', 'c-bg'],
  ['c-muted', 'c-soft'],
  ['c-primary', 'c-bg'],
  ['c-primary', 'c-soft'],
  ['c-on-primary', 'c-primary'],
  ['c-on-primary', 'c-primary-dark'],
  ['c-on-primary-soft', 'c-primary'],
  ['c-on-primary', 'c-error'],
  ['c-error', 'c-bg'],
  ['c-ok', 'c-bg'],
  ['c-ok', 'c-soft'],
  ['c-warn-text', 'c-warn-bg'],
  ['c-banner-text', 'c-banner-bg'],
];

describe('colours', () => {
  const vars = palette(css);
  it.each(PAIRS)('%s on %s is at least 4.5:1', (fg, bg) => {
    const a = vars.get(fg);
    const b = vars.get(bg);
    expect(a, fg).toBeDefined();
    expect(b, bg).toBeDefined();
    expect(contrast(a as string, b as string)).toBeGreaterThanOrEqual(4.5);
  });

  it('measures as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeLessThan(4.5);
  });
});
