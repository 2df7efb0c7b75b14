/** Saved segments: a named rule over contacts (shared/contract/contacts SegmentRule), with its live count. */
import type { Segment, SegmentRule } from '../../../shared/contract/contacts';
import { segmentRuleSchema } from '../../../shared/contract/contacts';
import { notFound, PacerError } from '../errors';
import { ruleSql } from './rules';
import type { ContactsScope } from './scope';
import type { SegmentRow } from './store';

function segmentOf(c: ContactsScope, r: SegmentRow): Segment {
  const rule = segmentRuleSchema.parse(JSON.parse(r.rule));
  return { id: r.id, name: r.name, rule, count: countRule(c, rule), createdAt: r.created_at, updatedAt: r.updated_at };
}

export function countRule(c: ContactsScope, rule: SegmentRule): number {
  return c.store.countWhere(ruleSql(c.db, rule, c.now()));
}

export function segments(c: ContactsScope): Segment[] {
  return c.segments.segmentRows().map((r) => segmentOf(c, r));
}

export function saveSegment(c: ContactsScope, input: { id?: number | undefined; name: string; rule: SegmentRule }): Segment {
  const rule = segmentRuleSchema.parse(input.rule);
  const now = c.now();
  const clash = c.segments.segmentIdByName(input.name);
  if (clash !== undefined && clash !== input.id) throw new PacerError('conflict', `A segment named "${input.name}" already exists.`);
  let id = input.id;
  if (id !== undefined) {
    if (!c.segments.updateSegment(id, input.name, JSON.stringify(rule), now)) throw notFound(`No segment with id ${id}.`);
  } else {
    id = c.segments.insertSegment(input.name, JSON.stringify(rule), now);
  }
  return segmentOf(c, c.segments.segmentById(id)!);
}

export function deleteSegment(c: ContactsScope, id: number): void {
  c.segments.deleteSegment(id);
}
