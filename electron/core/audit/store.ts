/**
 * SQL over `audit_log` (migrations 0001 + 0010). Typed functions over the Db, no behaviour: what
 * goes in an entry is decided by audit/record.ts.
 */
import type { Db } from '../db/connection';
import type { AuditEntry, AuditFilter } from '../../../shared/contract/privacy';

export interface AuditInsert {
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

export function insertAudit(db: Db, e: AuditInsert): number {
  return Number(
    db
      .prepare('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)')
      .run(e.at, e.actor, e.action, e.subject, JSON.stringify(e.detail)).lastInsertRowid,
  );
}

function whereOf(f: AuditFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.actions?.length) {
    where.push(`action IN (${f.actions.map(() => '?').join(',')})`);
    params.push(...f.actions);
  }
  if (f.from !== undefined) {
    where.push('at >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('at <= ?');
    params.push(f.to);
  }
  if (f.text) {
    // instr on lower(): a literal match (no LIKE wildcards to escape), case-insensitive for ASCII.
    where.push(
      "(instr(lower(coalesce(subject, '')), ?) > 0 OR instr(lower(actor), ?) > 0 OR instr(lower(detail), ?) > 0 OR instr(lower(action), ?) > 0)",
    );
    const t = f.text.toLowerCase();
    params.push(t, t, t, t);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

interface Row {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: string;
}
const toEntry = (r: Row): AuditEntry => {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(r.detail) as Record<string, unknown>;
  } catch {
    detail = { text: r.detail };
  }
  return { id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail };
};

export function listAudit(db: Db, f: AuditFilter, limit: number, offset: number): { total: number; rows: AuditEntry[] } {
  const w = whereOf(f);
  const total = db
    .prepare(`SELECT count(*) FROM audit_log ${w.sql}`)
    .pluck()
    .get(...w.params) as number;
  const rows = db
    .prepare(`SELECT id, at, actor, action, subject, detail FROM audit_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...w.params, limit, offset) as Row[];
  return { total, rows: rows.map(toEntry) };
}

/** Every matching entry, oldest first (exports). */
export function* iterateAudit(db: Db, f: AuditFilter): Generator<AuditEntry> {
  const w = whereOf(f);
  for (const r of db
    .prepare(`SELECT id, at, actor, action, subject, detail FROM audit_log ${w.sql} ORDER BY at, id`)
    .iterate(...w.params) as Iterable<Row>)
    yield toEntry(r);
}
