/**
 * The segment editor's form model: one `RuleRow` per condition, with every control's text kept as
 * typed, and the conversion to and from the contract's `SegmentCondition` (which the core turns into
 * SQL in electron/core/contacts/rules.ts). Pure, so it is unit-tested without a DOM.
 */
import type {
  AttributeDefinition,
  AttributeType,
  ConsentCategory,
  ConsentState,
  SegmentCondition,
} from '../../../shared/contract/contacts';

export const RULE_FIELDS = ['tag', 'consent', 'country', 'attr', 'last_messaged'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export type AttrOp = Extract<SegmentCondition, { field: 'attr' }>['op'];
export type LastOp = Extract<SegmentCondition, { field: 'last_messaged' }>['op'];

/**
 * The attribute operators offered per type. rules.ts compares stored values with SQL, so only the
 * comparisons that mean something for the type are offered: numbers and dates ('YYYY-MM-DD' sorts
 * as it reads) get greater / less than, text gets "contains", yes/no gets equality.
 */
export const ATTR_OPS: Record<AttributeType, AttrOp[]> = {
  text: ['eq', 'neq', 'contains', 'exists', 'not_exists'],
  number: ['eq', 'neq', 'gt', 'lt', 'exists', 'not_exists'],
  date: ['eq', 'neq', 'gt', 'lt', 'exists', 'not_exists'],
  boolean: ['eq', 'neq', 'exists', 'not_exists'],
};
export const LAST_OPS: LastOp[] = ['within_days', 'not_within_days', 'never'];

/** Operators that take no value. */
export const attrOpNeedsValue = (op: AttrOp) => op !== 'exists' && op !== 'not_exists';

export interface RuleRow {
  /** Stable React key. */
  key: number;
  field: RuleField;
  tagOp: 'has' | 'not_has';
  tag: string;
  consentOp: 'is' | 'is_not';
  category: ConsentCategory;
  state: ConsentState;
  countryOp: 'in' | 'not_in';
  countries: string[];
  attr: string;
  attrOp: AttrOp;
  /** As typed; booleans are 'true' / 'false'; dates 'YYYY-MM-DD'. */
  value: string;
  lastOp: LastOp;
  days: string;
}

export type RowError =
  | 'tagRequired'
  | 'countryRequired'
  | 'attrRequired'
  | 'attrUnknown'
  | 'valueRequired'
  | 'valueTooLong'
  | 'numberInvalid'
  | 'dateInvalid'
  | 'daysInvalid';

let nextKey = 1;

export function newRow(field: RuleField = 'tag'): RuleRow {
  return {
    key: nextKey++,
    field,
    tagOp: 'has',
    tag: '',
    consentOp: 'is',
    category: 'marketing',
    state: 'opted_in',
    countryOp: 'in',
    countries: [],
    attr: '',
    attrOp: 'eq',
    value: '',
    lastOp: 'within_days',
    days: '30',
  };
}

/** A saved condition as a form row. */
export function rowFromCondition(c: SegmentCondition): RuleRow {
  const row = newRow(c.field);
  switch (c.field) {
    case 'tag':
      return { ...row, tagOp: c.op, tag: c.value };
    case 'consent':
      return { ...row, consentOp: c.op, category: c.category, state: c.value };
    case 'country':
      return { ...row, countryOp: c.op, countries: [...c.values] };
    case 'attr':
      return { ...row, attr: c.name, attrOp: c.op, value: c.value === undefined ? '' : String(c.value) };
    case 'last_messaged':
      return { ...row, lastOp: c.op, days: String(c.days ?? 30) };
  }
}

/** Picks an attribute: keeps the operator and value while they still fit the attribute's type. */
export function withAttribute(row: RuleRow, name: string, attributes: AttributeDefinition[]): RuleRow {
  const typeOf = (n: string) => attributes.find((a) => a.name === n)?.type ?? 'text';
  const type = typeOf(name);
  const attrOp = ATTR_OPS[type].includes(row.attrOp) ? row.attrOp : 'eq';
  const sameType = row.attr !== '' && typeOf(row.attr) === type;
  const value = sameType ? row.value : type === 'boolean' ? 'true' : '';
  return { ...row, attr: name, attrOp, value };
}

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(v: string): boolean {
  const m = DATE_RE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * A row as a contract condition, or why it is not one yet. `attributes` is null while the list is
 * loading (an attribute row is then neither valid nor reported as unknown).
 */
export function rowToCondition(
  row: RuleRow,
  attributes: AttributeDefinition[] | null,
): { condition: SegmentCondition } | { error: RowError } | { pending: true } {
  switch (row.field) {
    case 'tag': {
      const tag = row.tag.trim();
      if (!tag) return { error: 'tagRequired' };
      if (tag.length > 100) return { error: 'valueTooLong' };
      return { condition: { field: 'tag', op: row.tagOp, value: tag } };
    }
    case 'consent':
      return { condition: { field: 'consent', category: row.category, op: row.consentOp, value: row.state } };
    case 'country':
      if (!row.countries.length) return { error: 'countryRequired' };
      return { condition: { field: 'country', op: row.countryOp, values: row.countries } };
    case 'attr': {
      if (!row.attr) return { error: 'attrRequired' };
      if (!attributes) return { pending: true };
      const def = attributes.find((a) => a.name === row.attr);
      if (!def) return { error: 'attrUnknown' };
      if (!ATTR_OPS[def.type].includes(row.attrOp)) return { error: 'attrRequired' };
      if (!attrOpNeedsValue(row.attrOp)) return { condition: { field: 'attr', name: def.name, op: row.attrOp } };
      const raw = row.value.trim();
      if (!raw) return { error: 'valueRequired' };
      if (raw.length > 500) return { error: 'valueTooLong' };
      switch (def.type) {
        case 'number': {
          const s = raw.replace(/(?<=\d),(?=\d{3}\b)/g, '');
          if (!NUMBER_RE.test(s)) return { error: 'numberInvalid' };
          return { condition: { field: 'attr', name: def.name, op: row.attrOp, value: Number(s) } };
        }
        case 'date':
          if (!validDate(raw)) return { error: 'dateInvalid' };
          return { condition: { field: 'attr', name: def.name, op: row.attrOp, value: raw } };
        case 'boolean':
          return { condition: { field: 'attr', name: def.name, op: row.attrOp, value: raw === 'true' } };
        case 'text':
          return { condition: { field: 'attr', name: def.name, op: row.attrOp, value: raw } };
      }
      break;
    }
    case 'last_messaged': {
      if (row.lastOp === 'never') return { condition: { field: 'last_messaged', op: 'never' } };
      const d = row.days.trim();
      const days = /^\d+$/.test(d) ? Number(d) : NaN;
      if (!Number.isInteger(days) || days < 1 || days > 3650) return { error: 'daysInvalid' };
      return { condition: { field: 'last_messaged', op: row.lastOp, days } };
    }
  }
  return { error: 'attrRequired' };
}

/** Every row's condition when all are complete; otherwise the errors by row key. */
export function rowsToConditions(
  rows: RuleRow[],
  attributes: AttributeDefinition[] | null,
): { conditions: SegmentCondition[] | null; errors: Map<number, RowError> } {
  const errors = new Map<number, RowError>();
  const conditions: SegmentCondition[] = [];
  let complete = true;
  for (const row of rows) {
    const r = rowToCondition(row, attributes);
    if ('condition' in r) conditions.push(r.condition);
    else {
      complete = false;
      if ('error' in r) errors.set(row.key, r.error);
    }
  }
  return { conditions: complete ? conditions : null, errors };
}
