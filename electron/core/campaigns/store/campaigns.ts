/**
 * SQL for the `campaigns` table and its event log (campaign_events): the definitions, their state
 * and the rows a series and its occurrences share. Typed functions over the Db; no behaviour.
 */
import type { Db } from '../../db/connection';
import type { CampaignEvent, CampaignState, PauseReason } from '../../../../shared/contract/campaigns';

/** The stored columns of a campaign's definition (JSON columns already serialised). */
export interface DefinitionColumns {
  name: string;
  template_name: string;
  template_language: string;
  template_category: string | null;
  audience: string;
  params: string;
  header_media: string | null;
  phone_number_id: string | null;
  schedule: string;
  options: string;
}

/** A row of `campaigns` as stored (campaigns/runtime.ts reads it into a CampaignRuntime). */
export interface CampaignRow extends DefinitionColumns {
  id: string;
  state: CampaignState;
  pause_reason: PauseReason | null;
  pause_detail: string | null;
  auto_resume: number;
  duplicated_from: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  materialized_at: number | null;
  /** Recurring campaigns (migration 0008): the series of an occurrence, when it was due, a series' next occurrence. */
  series_id: string | null;
  occurrence_at: number | null;
  next_run_at: number | null;
}

export function campaignById(db: Db, id: string): CampaignRow | undefined {
  return db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
}

export function campaignStateAndOptions(db: Db, id: string): { state: CampaignState; options: string } | undefined {
  return db.prepare('SELECT state, options FROM campaigns WHERE id = ?').get(id) as { state: CampaignState; options: string } | undefined;
}

export function campaignStateAndNumber(db: Db, id: string): { state: CampaignState; phone_number_id: string | null } | undefined {
  return db.prepare('SELECT state, phone_number_id FROM campaigns WHERE id = ?').get(id) as
    { state: CampaignState; phone_number_id: string | null } | undefined;
}

export function campaignName(db: Db, id: string): string {
  return (db.prepare('SELECT name FROM campaigns WHERE id = ?').get(id) as { name: string }).name;
}

export function listCampaigns(db: Db, state?: CampaignState): CampaignRow[] {
  return (
    state
      ? db.prepare('SELECT * FROM campaigns WHERE state = ? ORDER BY created_at DESC, id').all(state)
      : db.prepare('SELECT * FROM campaigns ORDER BY created_at DESC, id').all()
  ) as CampaignRow[];
}

export function runningCampaignIds(db: Db): string[] {
  return (db.prepare(`SELECT id FROM campaigns WHERE state = 'running'`).all() as { id: string }[]).map((r) => r.id);
}

export function insertDraft(db: Db, id: string, c: DefinitionColumns, now: number, occurrence?: { seriesId: string; at: number }): void {
  db.prepare(
    `INSERT INTO campaigns (id, name, state, template_name, template_language, template_category, audience, params, header_media, phone_number_id, schedule, options, created_at, updated_at, series_id, occurrence_at)
      VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    c.name,
    c.template_name,
    c.template_language,
    c.template_category,
    c.audience,
    c.params,
    c.header_media,
    c.phone_number_id,
    c.schedule,
    c.options,
    now,
    now,
    occurrence?.seriesId ?? null,
    occurrence?.at ?? null,
  );
}

/** An occurrence of a series: a draft row pointing at its series and the time it was due. */
export function insertOccurrence(db: Db, id: string, c: DefinitionColumns, now: number, seriesId: string, occurrenceAt: number): void {
  insertDraft(db, id, c, now, { seriesId, at: occurrenceAt });
}

export function updateDefinition(db: Db, id: string, c: DefinitionColumns, now: number): void {
  db.prepare(
    `UPDATE campaigns SET name = ?, template_name = ?, template_language = ?, template_category = ?, audience = ?, params = ?, header_media = ?,
      phone_number_id = ?, schedule = ?, options = ?, updated_at = ? WHERE id = ?`,
  ).run(
    c.name,
    c.template_name,
    c.template_language,
    c.template_category,
    c.audience,
    c.params,
    c.header_media,
    c.phone_number_id,
    c.schedule,
    c.options,
    now,
    id,
  );
}

export function updateSeriesDefinition(db: Db, id: string, c: DefinitionColumns, nextRunAt: number | null, now: number): void {
  db.prepare(
    `UPDATE campaigns SET name = ?, template_name = ?, template_language = ?, template_category = ?, audience = ?, params = ?, header_media = ?,
      phone_number_id = ?, schedule = ?, options = ?, next_run_at = ?, updated_at = ? WHERE id = ?`,
  ).run(
    c.name,
    c.template_name,
    c.template_language,
    c.template_category,
    c.audience,
    c.params,
    c.header_media,
    c.phone_number_id,
    c.schedule,
    c.options,
    nextRunAt,
    now,
    id,
  );
}

export function setDuplicatedFrom(db: Db, id: string, from: string): void {
  db.prepare('UPDATE campaigns SET duplicated_from = ? WHERE id = ?').run(from, id);
}

export function deleteCampaign(db: Db, id: string): void {
  db.prepare('DELETE FROM campaigns WHERE id = ?').run(id);
}

/** A one-off campaign's ledger is written: it is scheduled or running from now on. */
export function markStarted(db: Db, id: string, state: CampaignState, category: string | null, now: number): void {
  db.prepare(
    `UPDATE campaigns SET state = ?, template_category = ?, started_at = ?, materialized_at = ?, updated_at = ?, pause_reason = NULL, pause_detail = NULL WHERE id = ?`,
  ).run(state, category, now, now, now, id);
}

/** A series is started: it waits for its first occurrence. */
export function markSeriesStarted(db: Db, id: string, category: string | null, nextRunAt: number, now: number): void {
  db.prepare(
    `UPDATE campaigns SET state = 'scheduled', template_category = ?, started_at = ?, next_run_at = ?, updated_at = ?, pause_reason = NULL, pause_detail = NULL WHERE id = ?`,
  ).run(category, now, nextRunAt, now, id);
}

/** Returns the number of rows changed (0: the series was not scheduled or paused). */
export function completeSeries(db: Db, id: string, now: number): number {
  return db
    .prepare(
      `UPDATE campaigns SET state = 'completed', next_run_at = NULL, finished_at = ?, updated_at = ? WHERE id = ? AND state IN ('scheduled', 'paused')`,
    )
    .run(now, now, id).changes;
}

/** The unfinished occurrence of a series (at most one: occurrences never overlap). */
export function openOccurrence(db: Db, seriesId: string): CampaignRow | undefined {
  return db
    .prepare(
      `SELECT * FROM campaigns WHERE series_id = ? AND state IN ('scheduled', 'running', 'paused') ORDER BY occurrence_at DESC LIMIT 1`,
    )
    .get(seriesId) as CampaignRow | undefined;
}

export function latestOccurrenceOf(db: Db, seriesId: string): { id: string; state: CampaignState; occurrence_at: number } | undefined {
  return db
    .prepare('SELECT id, state, occurrence_at FROM campaigns WHERE series_id = ? ORDER BY occurrence_at DESC, created_at DESC LIMIT 1')
    .get(seriesId) as { id: string; state: CampaignState; occurrence_at: number } | undefined;
}

export function setNextRun(db: Db, id: string, nextRunAt: number, now: number): void {
  db.prepare('UPDATE campaigns SET next_run_at = ?, updated_at = ? WHERE id = ?').run(nextRunAt, now, id);
}

export function clearNextRun(db: Db, id: string): void {
  db.prepare('UPDATE campaigns SET next_run_at = NULL WHERE id = ?').run(id);
}

export function setState(db: Db, id: string, state: CampaignState, now: number): void {
  db.prepare('UPDATE campaigns SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id);
}

export function pauseByUser(db: Db, id: string, now: number): void {
  db.prepare(
    `UPDATE campaigns SET state = 'paused', pause_reason = 'user', pause_detail = NULL, auto_resume = 0, next_run_at = NULL, updated_at = ? WHERE id = ?`,
  ).run(now, id);
}

/** Pauses a running campaign with a reason; returns the rows changed (0: it was not running). */
export function pauseRunning(db: Db, id: string, reason: PauseReason, detail: string, autoResume: boolean, now: number): number {
  return db
    .prepare(
      `UPDATE campaigns SET state = 'paused', pause_reason = ?, pause_detail = ?, auto_resume = ?, updated_at = ? WHERE id = ? AND state = 'running'`,
    )
    .run(reason, detail, autoResume ? 1 : 0, now, id).changes;
}

export function markResumed(db: Db, id: string, state: CampaignState, now: number): void {
  db.prepare(`UPDATE campaigns SET state = ?, pause_reason = NULL, pause_detail = NULL, auto_resume = 0, updated_at = ? WHERE id = ?`).run(
    state,
    now,
    id,
  );
}

export function markSeriesResumed(db: Db, id: string, nextRunAt: number | null, now: number): void {
  db.prepare(
    `UPDATE campaigns SET state = 'scheduled', pause_reason = NULL, pause_detail = NULL, auto_resume = 0, next_run_at = ?, updated_at = ? WHERE id = ?`,
  ).run(nextRunAt, now, id);
}

export function markCancelled(db: Db, id: string, now: number): void {
  db.prepare(`UPDATE campaigns SET state = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ?`).run(now, now, id);
}

/** Returns the rows changed (0: it was not running). */
export function completeRunning(db: Db, id: string, now: number): number {
  return db
    .prepare(`UPDATE campaigns SET state = 'completed', finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running'`)
    .run(now, now, id).changes;
}

/** Returns the rows changed (0: it was not completed). */
export function reopenCompleted(db: Db, id: string, now: number): number {
  return db
    .prepare(`UPDATE campaigns SET state = 'running', finished_at = NULL, updated_at = ? WHERE id = ? AND state = 'completed'`)
    .run(now, id).changes;
}

export function setRunningAgain(db: Db, id: string, now: number): void {
  db.prepare(`UPDATE campaigns SET state = 'running', finished_at = NULL, updated_at = ? WHERE id = ?`).run(now, id);
}

// ---- event log ---------------------------------------------------------------------------------

export function insertEvent(db: Db, id: string, at: number, kind: string, detail: Record<string, unknown>): void {
  db.prepare('INSERT INTO campaign_events (campaign_id, at, kind, detail) VALUES (?, ?, ?, ?)').run(id, at, kind, JSON.stringify(detail));
}

export function listEvents(db: Db, id: string, limit: number): CampaignEvent[] {
  return (
    db.prepare('SELECT at, kind, detail FROM campaign_events WHERE campaign_id = ? ORDER BY id DESC LIMIT ?').all(id, limit) as {
      at: number;
      kind: string;
      detail: string;
    }[]
  ).map((e) => ({ at: e.at, kind: e.kind, detail: JSON.parse(e.detail) as Record<string, unknown> }));
}

// ---- scheduler and header media ----------------------------------------------------------------

/** Campaigns the scheduler looks at each tick. */
export function activeCampaigns(db: Db): CampaignRow[] {
  return db.prepare(`SELECT * FROM campaigns WHERE state IN ('scheduled', 'running', 'paused')`).all() as CampaignRow[];
}

export function headerMediaOf(db: Db, id: string): { header_media: string | null; phone_number_id: string | null } | undefined {
  return db.prepare('SELECT header_media, phone_number_id FROM campaigns WHERE id = ?').get(id) as
    { header_media: string | null; phone_number_id: string | null } | undefined;
}

export function setHeaderMedia(db: Db, id: string, headerMedia: string): void {
  db.prepare('UPDATE campaigns SET header_media = ? WHERE id = ?').run(headerMedia, id);
}

/** The random key of the phone hash (app_meta), created once per data folder by `fresh()`. */
export function phoneHashKey(db: Db, fresh: () => string): string {
  const read = () => db.prepare(`SELECT value FROM app_meta WHERE key = 'campaigns.phone_hash_key'`).pluck().get() as string | undefined;
  const existing = read();
  if (existing) return existing;
  db.prepare(`INSERT OR IGNORE INTO app_meta (key, value) VALUES ('campaigns.phone_hash_key', ?)`).run(fresh());
  return read()!;
}
