import { describe, expect, it } from 'vitest';
import { PhoneSeen } from '../../../electron/core/contacts/import/phone-seen';

describe('PhoneSeen (duplicates within one import file)', () => {
  it('answers the first row a number was seen on, through growth, for numbers of one country and of many', () => {
    const seen = new PhoneSeen(16);
    const numbers: string[] = [];
    for (let i = 0; i < 50_000; i++)
      numbers.push(
        `+97250${String(i).padStart(7, '0')}`,
        `+8869${String(i * 7).padStart(8, '0')}`,
        `+447${String(i * 13).padStart(9, '0')}`,
      );
    numbers.forEach((n, k) => expect(seen.firstRow(n, k + 2)).toBeNull());
    expect(seen.size).toBe(150_000);
    numbers.forEach((n, k) => {
      if (k % 97 === 0) expect(seen.firstRow(n, 999_999)).toBe(k + 2);
    });
    expect(seen.size).toBe(150_000); // a duplicate is not recorded again
  });

  it('tells apart numbers that differ only in length or in the high digits (15-digit numbers are exact)', () => {
    const seen = new PhoneSeen();
    expect(seen.firstRow('+97250123456', 2)).toBeNull();
    expect(seen.firstRow('+972501234560', 3)).toBeNull();
    expect(seen.firstRow('+999999999999999', 4)).toBeNull();
    expect(seen.firstRow('+999999999999998', 5)).toBeNull();
    expect(seen.firstRow('+999999999999999', 6)).toBe(4);
    expect(seen.firstRow('+972501234560', 7)).toBe(3);
  });
});
