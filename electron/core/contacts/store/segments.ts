/** SQL for saved segments (a named rule over contacts) and saved import mappings. */
import type { Db } from '../../db/connection';

export interface SegmentRow {
  id: number;
  name: string;
  rule: string;
  created_at: number;
  updated_at: number;
}
export interface MappingRow {
  id: number;
  name: string;
  mapping: string;
  headers: string;
  created_at: number;
}

export function segmentRows(db: Db): SegmentRow[] {
  return db.prepare('SELECT id, name, rule, created_at, updated_at FROM segments ORDER BY name COLLATE NOCASE').all() as SegmentRow[];
}

export function segmentById(db: Db, id: number): SegmentRow | undefined {
  return db.prepare('SELECT id, name, rule, created_at, updated_at FROM segments WHERE id = ?').get(id) as SegmentRow | undefined;
}

export function segmentIdByName(db: Db, name: string): number | undefined {
  return db.prepare('SELECT id FROM segments WHERE name = ?').pluck().get(name) as number | undefined;
}

/** Returns false when there is no segment with that id. */
export function updateSegment(db: Db, id: number, name: string, rule: string, now: number): boolean {
  return db.prepare('UPDATE segments SET name = ?, rule = ?, updated_at = ? WHERE id = ?').run(name, rule, now, id).changes > 0;
}

export function insertSegment(db: Db, name: string, rule: string, now: number): number {
  return Number(
    db.prepare('INSERT INTO segments (name, rule, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, rule, now, now).lastInsertRowid,
  );
}

export function deleteSegment(db: Db, id: number): void {
  db.prepare('DELETE FROM segments WHERE id = ?').run(id);
}

// ---- saved import mappings ---------------------------------------------------------------------

export function mappingRows(db: Db): MappingRow[] {
  return db
    .prepare('SELECT id, name, mapping, headers, created_at FROM import_mappings ORDER BY name COLLATE NOCASE')
    .all() as MappingRow[];
}

export function upsertMapping(db: Db, name: string, mapping: string, headers: string, now: number): void {
  db.prepare(
    'INSERT INTO import_mappings (name, mapping, headers, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, headers = excluded.headers',
  ).run(name, mapping, headers, now);
}

export function deleteMapping(db: Db, id: number): void {
  db.prepare('DELETE FROM import_mappings WHERE id = ?').run(id);
}
