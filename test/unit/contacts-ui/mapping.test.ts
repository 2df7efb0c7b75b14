import { describe, expect, it } from 'vitest';
import { attributeNameFor, columnsFrom, mappingProblems, toMapping } from '../../../renderer/features/contacts/import/mapping';
import { mappingSchema } from '../../../shared/contract/contacts';

describe('import wizard mapping', () => {
  it('round-trips a guessed mapping through the per-column form', () => {
    const headers = ['טלפון', 'שם', 'Email', 'עיר', 'Notes'];
    const guessed = [
      { column: 'טלפון', field: 'phone' as const },
      { column: 'שם', field: 'name' as const },
      { column: 'Email', field: 'email' as const },
      { column: 'עיר', field: 'attr.עיר', type: 'text' as const },
    ];
    const cols = columnsFrom(headers, guessed);
    expect(cols.map((c) => c.choice)).toEqual(['phone', 'name', 'email', 'attr', '']);
    const back = toMapping(cols);
    expect(back).toEqual(guessed);
    expect(mappingSchema.safeParse(back).success).toBe(true);
  });

  it('derives valid attribute names from any header', () => {
    expect(attributeNameFor('Date of birth', 0)).toBe('Date_of_birth');
    expect(attributeNameFor('城市', 1)).toBe('城市');
    expect(attributeNameFor('!!!', 2)).toBe('column_3');
  });

  it('blocks a mapping without a phone, with a bad attribute name, or with a field twice', () => {
    const base = columnsFrom(['a', 'b'], []);
    expect(mappingProblems(base)).toContain('no_phone');
    const twoNames = [
      { ...base[0]!, choice: 'phone' as const },
      { ...base[1]!, choice: 'name' as const },
      { column: 'c', choice: 'name' as const, attrName: 'c' },
    ];
    expect(mappingProblems(twoNames)).toEqual(['duplicate_field']);
    const twoPhones = [
      { ...base[0]!, choice: 'phone' as const },
      { ...base[1]!, choice: 'phone' as const },
    ];
    expect(mappingProblems(twoPhones)).toEqual([]);
    const badAttr = [
      { ...base[0]!, choice: 'phone' as const },
      { ...base[1]!, choice: 'attr' as const, attrName: 'a b' },
    ];
    expect(mappingProblems(badAttr)).toEqual(['bad_attribute']);
  });
});
