// Counted words without ICU: withCommas is checked against what toLocaleString gives, byCodeUnits
// against the string comparison it stands for.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { byCodeUnits, counted, severityCount, withCommas } from '../src/words.js';

describe('words', () => {
  it('groups thousands as toLocaleString("en-US") does (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), (n) => {
        expect(withCommas(n)).toBe(n.toLocaleString('en-US'));
      }),
      { seed: 3, numRuns: 2000 },
    );
    expect(withCommas(1234567)).toBe('1,234,567');
    expect(withCommas(999)).toBe('999');
  });

  it('says one word for one, the plural for the rest', () => {
    expect(counted(1, 'event')).toBe('1 event');
    expect(counted(12345, 'line')).toBe('12,345 lines');
    expect(counted(2, 'knock-on line that follows', 'knock-on lines that follow')).toBe('2 knock-on lines that follow');
    expect(severityCount(2, 'error')).toBe('2 errors');
    expect(severityCount(2, 'critical')).toBe('2 critical');
  });

  it('orders strings by code units (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(Math.sign(byCodeUnits(a, b))).toBe(a < b ? -1 : a === b ? 0 : 1);
        expect(byCodeUnits(a, b)).toBe(-byCodeUnits(b, a) || 0);
      }),
      { seed: 4, numRuns: 1000 },
    );
  });
});
