/**
 * SQL of the Marketing Messages API state (migration 0010): impending template-category changes
 * (warnings only) and whether the portfolio accepted the MM API terms.
 */
import type { Db } from '../db/connection';

export interface CategoryNotice {
  name: string;
  language: string;
  current_category: string;
  correct_category: string;
  /** When Meta says the change takes effect (epoch ms), if it said. */
  effective_at: number | null;
  received_at: number;
}

export type TermsState = 'accepted' | 'not_accepted';
export type TermsSource = 'webhook' | 'strict_refusal' | 'marketing_send' | 'user';

export interface TermsRow {
  business_id: string;
  state: TermsState;
  source: TermsSource;
  detail: string | null;
  updated_at: number;
}

export function putCategoryNotice(db: Db, n: CategoryNotice): void {
  db.prepare(
    `INSERT INTO template_category_notices (name, language, current_category, correct_category, effective_at, received_at)
    VALUES (@name, @language, @current_category, @correct_category, @effective_at, @received_at)
    ON CONFLICT (name, language) DO UPDATE SET current_category = excluded.current_category, correct_category = excluded.correct_category,
      effective_at = excluded.effective_at, received_at = excluded.received_at
    WHERE excluded.received_at >= template_category_notices.received_at`,
  ).run(n);
}

export function clearCategoryNotice(db: Db, name: string, language: string): void {
  db.prepare('DELETE FROM template_category_notices WHERE name = ? AND language = ?').run(name, language);
}

/** Notices whose template still has the category the notice was about (a sync may have moved it). */
export function categoryNotices(db: Db): CategoryNotice[] {
  return db
    .prepare(
      `SELECT n.* FROM template_category_notices n
    WHERE NOT EXISTS (SELECT 1 FROM wa_templates t WHERE t.name = n.name AND t.language = n.language AND t.category = n.correct_category)
    ORDER BY n.name, n.language`,
    )
    .all() as CategoryNotice[];
}

export function categoryNoticeFor(db: Db, name: string, language: string): CategoryNotice | null {
  return categoryNotices(db).find((n) => n.name === name && n.language === language) ?? null;
}

export function termsOf(db: Db, businessId: string): TermsRow | null {
  return (db.prepare('SELECT * FROM mm_terms WHERE business_id = ?').get(businessId) as TermsRow | undefined) ?? null;
}

/** Records what Pacer learned; an older observation never overwrites a newer one. */
export function putTerms(db: Db, row: TermsRow): boolean {
  return (
    db
      .prepare(
        `INSERT INTO mm_terms (business_id, state, source, detail, updated_at) VALUES (@business_id, @state, @source, @detail, @updated_at)
    ON CONFLICT (business_id) DO UPDATE SET state = excluded.state, source = excluded.source, detail = excluded.detail, updated_at = excluded.updated_at
    WHERE excluded.updated_at >= mm_terms.updated_at AND (mm_terms.state != excluded.state OR mm_terms.source != excluded.source)`,
      )
      .run(row).changes === 1
  );
}

/** The portfolio of the connected account: the owner business of its WABA (or the WABA id when unknown). */
export function connectedPortfolio(db: Db): string | null {
  try {
    const r = db.prepare(`SELECT c.waba_id, w.business_id FROM wa_connection c LEFT JOIN wa_wabas w ON w.id = c.waba_id LIMIT 1`).get() as
      { waba_id: string; business_id: string | null } | undefined;
    return r ? (r.business_id ?? r.waba_id) : null;
  } catch {
    return null;
  }
}

/** The stored category of a template (the routing map), or null when Pacer has not synced it. */
export function currentCategory(db: Db, name: string, language: string): string | null {
  return (
    (
      db
        .prepare('SELECT category FROM wa_templates WHERE name = ? AND language = ? ORDER BY last_changed_at DESC LIMIT 1')
        .get(name, language) as { category: string } | undefined
    )?.category ?? null
  );
}
