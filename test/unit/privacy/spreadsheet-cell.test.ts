import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCell } from '../../../shared/spreadsheet-cell';
import { csvField, xlsxCell } from '../../../electron/core/campaigns/reports';
import { neutralize } from '../../../electron/core/contacts/export';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];

describe('shared/spreadsheet-cell: one formula-injection rule for every export', () => {
  it.each(['=1+1', '+1+cmd|" /C calc"!A0', '-2+3', '@SUM(A1)', '\t=1', '\rcmd', '=HYPERLINK("http://x")', '+972 50 123', '-', '+'])(
    'quotes %j',
    (v) => {
      expect(neutraliseCell(v)).toBe(`'${v}`);
    },
  );

  it.each(['+972501234567', '-12.5', '+1', 'Dana', '050-234-5678', '', 'טלפון'])(
    'leaves %j as written (plain numbers stay usable)',
    (v) => {
      expect(neutraliseCell(v)).toBe(v);
    },
  );

  it('property: the output never starts a formula unless it is a plain number, and only ever adds one quote', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom(...TRIGGERS).chain((t) => fc.string().map((s) => t + s)),
        ),
        (v) => {
          const out = neutraliseCell(v);
          expect(out === v || out === `'${v}`).toBe(true);
          if (TRIGGERS.includes(out[0] ?? '')) expect(out).toMatch(/^[+-]?\d+(\.\d+)?$/);
        },
      ),
      { seed: 1414, numRuns: 2000 },
    );
  });

  it('the contacts export, campaign report CSV and XLSX all use it', () => {
    expect(neutralize).toBe(neutraliseCell);
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('+972501234567')).toBe('+972501234567');
    expect(csvField('=a,b')).toBe(`"'=a,b"`);
    expect(xlsxCell('@x')).toBe("'@x");
    expect(xlsxCell(5)).toBe(5);
  });
});
