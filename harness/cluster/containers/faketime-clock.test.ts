import { describe, expect, it } from 'vitest';
import { faketimeOffset, parseFaketimeOffset } from './faketime-clock.ts';

describe('libfaketime offsets', () => {
  it('writes signed seconds with a dot and no trailing zeros', () => {
    expect(faketimeOffset(0)).toBe('+0');
    expect(faketimeOffset(1500)).toBe('+1.5');
    expect(faketimeOffset(-200)).toBe('-0.2');
    expect(faketimeOffset(3000)).toBe('+3');
  });

  it('reads back exactly what it writes, and nothing else', () => {
    for (const ms of [0, 100, -100, 1500, -2_500, 86_400_000, 1_234]) expect(parseFaketimeOffset(faketimeOffset(ms))).toBe(ms);
    for (const text of ['', '0', '1.5', '+', '+1.5s', '@2026-01-01 00:00:00', '+1.2345']) expect(parseFaketimeOffset(text)).toBeUndefined();
  });
});
