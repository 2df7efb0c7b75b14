import { describe, expect, it } from 'vitest';
import {
  ATTR_OPS,
  newRow,
  rowFromCondition,
  rowToCondition,
  rowsToConditions,
  withAttribute,
} from '../../../renderer/features/contacts/segmentRules';
import { segmentConditionSchema, type AttributeDefinition, type SegmentCondition } from '../../../shared/contract/contacts';

const ATTRS: AttributeDefinition[] = [
  { name: 'plan', type: 'text', count: 3 },
  { name: 'spend', type: 'number', count: 3 },
  { name: 'joined', type: 'date', count: 2 },
  { name: 'vip', type: 'boolean', count: 1 },
];

describe('segment editor rows', () => {
  it('round-trips every kind of saved condition through a form row', () => {
    const conditions: SegmentCondition[] = [
      { field: 'tag', op: 'not_has', value: 'לקוחות' },
      { field: 'consent', category: 'utility', op: 'is_not', value: 'opted_out' },
      { field: 'country', op: 'in', values: ['IL', 'TW'] },
      { field: 'attr', name: 'plan', op: 'contains', value: 'gold' },
      { field: 'attr', name: 'spend', op: 'gt', value: 250.5 },
      { field: 'attr', name: 'joined', op: 'lt', value: '2026-01-31' },
      { field: 'attr', name: 'vip', op: 'eq', value: false },
      { field: 'attr', name: 'plan', op: 'not_exists' },
      { field: 'last_messaged', op: 'not_within_days', days: 14 },
      { field: 'last_messaged', op: 'never' },
    ];
    const rows = conditions.map(rowFromCondition);
    const back = rowsToConditions(rows, ATTRS);
    expect(back.errors.size).toBe(0);
    expect(back.conditions).toEqual(conditions);
    for (const c of back.conditions!) expect(segmentConditionSchema.safeParse(c).success).toBe(true);
  });

  it('offers only the operators that mean something for the attribute type', () => {
    expect(ATTR_OPS.text).toContain('contains');
    expect(ATTR_OPS.text).not.toContain('gt');
    expect(ATTR_OPS.number).toEqual(expect.arrayContaining(['gt', 'lt']));
    expect(ATTR_OPS.number).not.toContain('contains');
    expect(ATTR_OPS.boolean).not.toContain('gt');
    // Switching from a text attribute with "contains" to a number falls back to "is" and clears the value.
    const row = { ...newRow('attr'), attr: 'plan', attrOp: 'contains' as const, value: 'gold' };
    const moved = withAttribute(row, 'spend', ATTRS);
    expect(moved).toMatchObject({ attr: 'spend', attrOp: 'eq', value: '' });
    // Same type: operator and value stay.
    expect(withAttribute({ ...row, attr: 'spend', attrOp: 'gt', value: '10' }, 'spend', ATTRS)).toMatchObject({
      attrOp: 'gt',
      value: '10',
    });
    // Booleans start at "yes".
    expect(withAttribute(row, 'vip', ATTRS)).toMatchObject({ attrOp: 'eq', value: 'true' });
  });

  it('reports what is missing or wrong per row instead of producing a condition', () => {
    const err = (patch: Partial<ReturnType<typeof newRow>>) => rowToCondition({ ...newRow(patch.field ?? 'tag'), ...patch }, ATTRS);
    expect(err({ field: 'tag' })).toEqual({ error: 'tagRequired' });
    expect(err({ field: 'country' })).toEqual({ error: 'countryRequired' });
    expect(err({ field: 'attr' })).toEqual({ error: 'attrRequired' });
    expect(err({ field: 'attr', attr: 'gone' })).toEqual({ error: 'attrUnknown' });
    expect(err({ field: 'attr', attr: 'plan', attrOp: 'eq', value: '  ' })).toEqual({ error: 'valueRequired' });
    expect(err({ field: 'attr', attr: 'spend', attrOp: 'gt', value: '12abc' })).toEqual({ error: 'numberInvalid' });
    expect(err({ field: 'attr', attr: 'spend', attrOp: 'gt', value: '1,250' })).toEqual({
      condition: { field: 'attr', name: 'spend', op: 'gt', value: 1250 },
    });
    expect(err({ field: 'attr', attr: 'joined', attrOp: 'gt', value: '2026-02-30' })).toEqual({ error: 'dateInvalid' });
    expect(err({ field: 'attr', attr: 'plan', attrOp: 'exists', value: '' })).toEqual({
      condition: { field: 'attr', name: 'plan', op: 'exists' },
    });
    for (const days of ['0', '3651', '2.5', '', 'x'])
      expect(err({ field: 'last_messaged', lastOp: 'within_days', days })).toEqual({ error: 'daysInvalid' });
    expect(err({ field: 'last_messaged', lastOp: 'never', days: '' })).toEqual({ condition: { field: 'last_messaged', op: 'never' } });
  });

  it('waits for the attribute list before judging an attribute row', () => {
    const row = { ...newRow('attr'), attr: 'plan', value: 'gold' };
    expect(rowToCondition(row, null)).toEqual({ pending: true });
    const all = rowsToConditions([newRow('consent'), row], null);
    expect(all.conditions).toBeNull();
    expect(all.errors.size).toBe(0);
  });
});
