import { describe, expect, it } from 'vitest';
import { neutraliseCell, toCsv } from '../../../renderer/features/contacts/import/csv';

describe('rejected-rows CSV (browser side)', () => {
  it.each(['=HYPERLINK("http://x","y")', '+972541234567+cmd', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'neutralises a cell starting with a formula character: %j',
    (v) => {
      expect(neutraliseCell(v)).toBe(`'${v}`);
    },
  );

  it('leaves ordinary text alone', () => {
    expect(neutraliseCell('duplicate of row 7')).toBe('duplicate of row 7');
    expect(neutraliseCell('טלפון לא תקין')).toBe('טלפון לא תקין');
    expect(neutraliseCell('+972541234567')).toBe('+972541234567'); // a plain number stays usable
  });

  it('quotes separators, quotes and newlines, adds a BOM and CRLF line ends', () => {
    const csv = toCsv([
      ['Row', 'Reason'],
      [3, 'bad, "very" bad\nreally'],
      [4, '=1+1'],
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1)).toBe('Row,Reason\r\n3,"bad, ""very"" bad\nreally"\r\n4,\'=1+1\r\n');
  });
});
