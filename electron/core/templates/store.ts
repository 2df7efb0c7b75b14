import type { Db } from '../db/connection';
import { headerFormat, templateVariables } from '../whatsapp/normalize';
import type {
  ParameterFormat,
  TemplateCategory,
  TemplateComponent,
  TemplateHistoryEntry,
  TemplateQuality,
  TemplateStatus,
  TemplateSummary,
} from '../../../shared/contract/whatsapp';

export interface TemplateRow {
  id: string;
  waba_id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  previous_category: string | null;
  sub_category: string | null;
  quality: TemplateQuality;
  rejected_reason: string | null;
  parameter_format: ParameterFormat;
  components: string;
  last_changed_at: number;
  synced_at: number;
  created_at: number;
}

export interface TemplateFilters {
  status?: TemplateStatus[];
  category?: TemplateCategory[];
  quality?: TemplateQuality[];
  language?: string;
  search?: string;
  wabaId?: string;
  /** Only these WABAs (the connected portfolio's); ignored when wabaId is given. */
  wabaIds?: string[];
  includeDeleted?: boolean;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** SQL for templates and their append-only history. */
export class TemplateStore {
  constructor(private readonly db: Db) {}

  byId(id: string): TemplateRow | null {
    return (this.db.prepare('SELECT * FROM wa_templates WHERE id = ?').get(id) as TemplateRow | undefined) ?? null;
  }

  /** By name + language: the live one first (a deleted and re-created template shares both). */
  byNameLanguage(name: string, language: string, wabaIds?: readonly string[]): TemplateRow | null {
    const inWabas = wabaIds?.length ? `AND waba_id IN (${wabaIds.map(() => '?').join(', ')})` : '';
    return (
      (this.db
        .prepare(
          `SELECT * FROM wa_templates WHERE name = ? AND language = ? ${inWabas}
      ORDER BY (status = 'DELETED'), last_changed_at DESC LIMIT 1`,
        )
        .get(name, language, ...(wabaIds ?? [])) as TemplateRow | undefined) ?? null
    );
  }

  forWaba(wabaId: string): TemplateRow[] {
    return this.db.prepare('SELECT * FROM wa_templates WHERE waba_id = ?').all(wabaId) as TemplateRow[];
  }

  list(f: TemplateFilters): TemplateRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const inList = (col: string, values: readonly string[] | undefined) => {
      if (!values?.length) return;
      where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
      args.push(...values);
    };
    inList('status', f.status);
    inList('category', f.category);
    inList('quality', f.quality);
    if (!f.includeDeleted && !f.status?.includes('DELETED')) where.push("status <> 'DELETED'");
    if (f.wabaId) {
      where.push('waba_id = ?');
      args.push(f.wabaId);
    } else inList('waba_id', f.wabaIds);
    if (f.language) {
      where.push("(lower(language) = lower(?) OR lower(language) LIKE lower(?) ESCAPE '\\')");
      args.push(f.language, `${likeEscape(f.language)}\\_%`);
    }
    if (f.search) {
      where.push("(name LIKE ? ESCAPE '\\' OR components LIKE ? ESCAPE '\\')");
      const pattern = `%${likeEscape(f.search)}%`;
      args.push(pattern, pattern);
    }
    const sql = `SELECT * FROM wa_templates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name, language, id`;
    return this.db.prepare(sql).all(...args) as TemplateRow[];
  }

  insert(r: TemplateRow): void {
    this.db
      .prepare(
        `INSERT INTO wa_templates (id, waba_id, name, language, status, category, previous_category, sub_category, quality,
        rejected_reason, parameter_format, components, last_changed_at, synced_at, created_at)
      VALUES (@id, @waba_id, @name, @language, @status, @category, @previous_category, @sub_category, @quality,
        @rejected_reason, @parameter_format, @components, @last_changed_at, @synced_at, @created_at)`,
      )
      .run(r);
  }

  update(r: TemplateRow): void {
    this.db
      .prepare(
        `UPDATE wa_templates SET waba_id = @waba_id, name = @name, language = @language, status = @status, category = @category,
        previous_category = @previous_category, sub_category = @sub_category, quality = @quality, rejected_reason = @rejected_reason,
        parameter_format = @parameter_format, components = @components, last_changed_at = @last_changed_at, synced_at = @synced_at
      WHERE id = @id`,
      )
      .run(r);
  }

  addHistory(e: { templateId: string } & TemplateHistoryEntry): void {
    this.db
      .prepare('INSERT INTO wa_template_history (template_id, at, kind, from_value, to_value, reason, source) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.templateId, e.at, e.kind, e.from, e.to, e.reason, e.source);
  }

  history(templateId: string): TemplateHistoryEntry[] {
    const rows = this.db
      .prepare(
        'SELECT at, kind, from_value, to_value, reason, source FROM wa_template_history WHERE template_id = ? ORDER BY at DESC, id DESC',
      )
      .all(templateId) as {
      at: number;
      kind: TemplateHistoryEntry['kind'];
      from_value: string | null;
      to_value: string | null;
      reason: string | null;
      source: 'sync' | 'webhook';
    }[];
    return rows.map((r) => ({ at: r.at, kind: r.kind, from: r.from_value, to: r.to_value, reason: r.reason, source: r.source }));
  }
}

export function templateSummary(r: TemplateRow): TemplateSummary {
  let components: TemplateComponent[] = [];
  try {
    components = JSON.parse(r.components) as TemplateComponent[];
  } catch {
    components = [];
  }
  return {
    id: r.id,
    wabaId: r.waba_id,
    name: r.name,
    language: r.language,
    status: r.status,
    category: r.category,
    previousCategory: r.previous_category,
    quality: r.quality,
    rejectedReason: r.rejected_reason,
    parameterFormat: r.parameter_format,
    components,
    variables: templateVariables(components),
    headerFormat: headerFormat(components),
    sendable: r.status === 'APPROVED',
    lastChangedAt: r.last_changed_at,
    syncedAt: r.synced_at,
  };
}
