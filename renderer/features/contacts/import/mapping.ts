import {
  ATTRIBUTE_NAME_RE,
  type AttributeType,
  type ImportField,
  type MappingEntry,
  type SavedMapping,
} from '../../../../shared/contract/contacts';

/** What the wizard lets a column become; '' means "not imported". 'attr' becomes attr.NAME. */
export const FIELD_CHOICES = [
  '',
  'phone',
  'first_name',
  'last_name',
  'name',
  'email',
  'tags',
  'consent',
  'country',
  'user_id',
  'username',
  'attr',
] as const;
export type FieldChoice = (typeof FIELD_CHOICES)[number];

export interface ColumnMapping {
  column: string;
  choice: FieldChoice;
  /** The attribute name when choice is 'attr'. */
  attrName: string;
  /** For attributes: undefined lets the importer guess from the values. */
  type?: AttributeType;
}

/** A valid attribute name from a header: letters and digits of any script, `_` and `-`. */
export function attributeNameFor(header: string, index: number): string {
  const name = header
    .trim()
    .replace(/[^\p{L}\p{N}_-]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return ATTRIBUTE_NAME_RE.test(name) ? name : `column_${index + 1}`;
}

/** One row per file column, filled from a mapping (the guess, or a saved one). */
export function columnsFrom(headers: string[], mapping: MappingEntry[]): ColumnMapping[] {
  return headers.map((column, i) => {
    const entry = mapping.find((m) => m.column === column);
    if (!entry) return { column, choice: '', attrName: attributeNameFor(column, i) };
    if (entry.field.startsWith('attr.')) return { column, choice: 'attr', attrName: entry.field.slice(5), type: entry.type };
    return { column, choice: entry.field as FieldChoice, attrName: attributeNameFor(column, i) };
  });
}

export function toMapping(columns: ColumnMapping[]): MappingEntry[] {
  return columns
    .filter((c) => c.choice !== '')
    .map((c) =>
      c.choice === 'attr'
        ? { column: c.column, field: `attr.${c.attrName}` as ImportField, ...(c.type ? { type: c.type } : {}) }
        : { column: c.column, field: c.choice as ImportField },
    );
}

export type MappingProblem = 'no_phone' | 'bad_attribute' | 'duplicate_field';

/** Problems that would make the import fail or surprise the user; the wizard blocks on them. */
export function mappingProblems(columns: ColumnMapping[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (!columns.some((c) => c.choice === 'phone')) problems.push('no_phone');
  if (columns.some((c) => c.choice === 'attr' && !ATTRIBUTE_NAME_RE.test(c.attrName))) problems.push('bad_attribute');
  const singles = columns
    .filter((c) => c.choice !== '' && c.choice !== 'phone' && c.choice !== 'tags')
    .map((c) => (c.choice === 'attr' ? `attr.${c.attrName}` : c.choice));
  if (new Set(singles).size !== singles.length) problems.push('duplicate_field');
  return problems;
}

export function applySaved(headers: string[], saved: SavedMapping): ColumnMapping[] {
  return columnsFrom(headers, saved.mapping);
}
