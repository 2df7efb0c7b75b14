/**
 * Message templates: a local copy of every template of the portfolio's WABAs, kept current by
 * syncs (on start, on demand, periodically within Meta's management-call budget) and by template
 * webhooks, with an append-only history of status / quality / category changes.
 */
import type { ManagementEventLike } from '../account/management-events';
import type { AccountService } from '../account/service';
import type { CoreContext } from '../context';
import { notFound, PacerError } from '../errors';
import type { GraphTemplate } from '../whatsapp/client';
import {
  normalizeLanguage,
  normalizeParameterFormat,
  normalizeRejectedReason,
  normalizeTemplateCategory,
  normalizeTemplateQuality,
  normalizeTemplateStatus,
} from '../whatsapp/normalize';
import { TemplateStore, templateSummary, type TemplateFilters, type TemplateRow } from './store';
import type { TemplateDetail, TemplateStatus, TemplateSummary, TemplateSyncResult } from '../../../shared/contract/whatsapp';

/** Webhook `event` values that are not stored statuses, and what they mean for the status. */
const EVENT_STATUS: Record<string, TemplateStatus | null> = { REINSTATED: 'APPROVED', UNARCHIVED: 'APPROVED', FLAGGED: null, LOCKED: null };

type Changes = { ids: Set<string>; added: number; updated: number; removed: number };

export class TemplatesService {
  readonly store: TemplateStore;
  /** Runs waiting for their turn, by scope ('*' or a WABA id): calls made before one starts share it. */
  private readonly queued = new Map<string, Promise<TemplateSyncResult>>();
  /** The last run asked for: runs go one after another. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: CoreContext,
    private readonly account: AccountService,
  ) {
    this.store = new TemplateStore(ctx.db);
  }

  /** The connected portfolio's WABA ids (undefined when disconnected: then every synced template counts). */
  private portfolio(): string[] | undefined {
    const conn = this.account.connection();
    return conn ? [...new Set([conn.waba_id, ...this.account.store.wabas().map((w) => w.id)])] : undefined;
  }

  /** Templates of the connected portfolio (all synced ones when disconnected: they stay for history). */
  list(filters: TemplateFilters): TemplateSummary[] {
    const portfolio = this.portfolio();
    const f = {
      ...filters,
      ...(filters.language ? { language: normalizeLanguage(filters.language) } : {}),
      ...(portfolio ? { wabaIds: portfolio } : {}),
    };
    return this.store.list(f).map(templateSummary);
  }

  get(sel: { id: string } | { name: string; language: string }): TemplateDetail {
    const row =
      'id' in sel ? this.store.byId(sel.id) : this.store.byNameLanguage(sel.name, normalizeLanguage(sel.language), this.portfolio());
    if (!row)
      throw notFound(
        'id' in sel
          ? `No template with id ${sel.id}. Run a template sync first.`
          : `No template ${sel.name} in ${sel.language}. Run a template sync first.`,
      );
    return { ...templateSummary(row), history: this.store.history(row.id) };
  }

  /** For campaigns: the template by name + language (en-US and en_US alike), or null. */
  getTemplate(name: string, language: string): TemplateSummary | null {
    const row = this.store.byNameLanguage(name, normalizeLanguage(language), this.portfolio());
    return row ? templateSummary(row) : null;
  }

  /**
   * Pulls every template of the portfolio's WABAs (or one). Every run fetches Meta's lists after the
   * calls it answers were made, and runs go one after another: a sync asked right after a change
   * (a delete, an edit) never joins a run that fetched before it, and an older run never writes
   * its list over a newer one's (a deleted template came back that way). Calls made while a run
   * waits for its turn share it.
   */
  sync(opts: { wabaId?: string } = {}): Promise<TemplateSyncResult> {
    const key = opts.wabaId ?? '*';
    const waiting = this.queued.get(key);
    if (waiting) return waiting;
    const run = this.tail.then(() => {
      this.queued.delete(key);
      return this.runSync(opts);
    });
    this.queued.set(key, run);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runSync(opts: { wabaId?: string }): Promise<TemplateSyncResult> {
    const conn = this.account.connection();
    if (!conn) throw new PacerError('unavailable', 'No WhatsApp account is connected. Run `pacer account connect` or use the Sandbox.');
    const known = this.account.store.wabas().map((w) => w.id);
    if (opts.wabaId && !known.includes(opts.wabaId) && opts.wabaId !== conn.waba_id)
      throw notFound(`WhatsApp Business Account ${opts.wabaId} is not part of the connected account.`);
    const wabaIds = opts.wabaId ? [opts.wabaId] : [...new Set([conn.waba_id, ...known])];
    const client = await this.account.ready();
    const fetched = new Map<string, GraphTemplate[]>();
    try {
      for (const id of wabaIds) fetched.set(id, await client.listAllTemplates(id));
    } catch (e) {
      throw this.account.recordFailure(e);
    }
    const now = this.ctx.clock.now();
    const changes: Changes = { ids: new Set(), added: 0, updated: 0, removed: 0 };
    this.ctx.db.transaction(() => {
      for (const [wabaId, list] of fetched) this.mergeWaba(wabaId, list, now, changes);
      this.account.store.markTemplatesSynced(now);
    })();
    this.ctx.log.info('templates synced', {
      wabas: wabaIds.length,
      added: changes.added,
      updated: changes.updated,
      removed: changes.removed,
    });
    if (changes.ids.size)
      this.ctx.emit('templates:changed', { wabaId: opts.wabaId ?? null, ids: [...changes.ids], source: 'sync', at: now });
    this.account.emitChanged();
    const templates = this.list(opts.wabaId ? { wabaId: opts.wabaId } : {});
    return { at: now, total: templates.length, added: changes.added, updated: changes.updated, removed: changes.removed, templates };
  }

  private mergeWaba(wabaId: string, list: GraphTemplate[], now: number, changes: Changes): void {
    const existing = new Map(this.store.forWaba(wabaId).map((r) => [r.id, r]));
    const seen = new Set<string>();
    for (const t of list) {
      if (!t.id || !t.name || !t.language) continue;
      seen.add(t.id);
      const next = fromGraph(wabaId, t, now);
      const old = existing.get(t.id);
      if (!old) {
        this.store.insert(next);
        this.store.addHistory({
          templateId: next.id,
          at: now,
          kind: 'created',
          from: null,
          to: next.status,
          reason: next.rejected_reason,
          source: 'sync',
        });
        changes.added++;
        changes.ids.add(next.id);
      } else if (this.applyDiff(old, next, now, 'sync')) {
        changes.updated++;
        changes.ids.add(next.id);
      } else {
        this.store.update({ ...old, synced_at: now });
      }
    }
    for (const old of existing.values()) {
      if (seen.has(old.id) || old.status === 'DELETED') continue;
      this.store.update({ ...old, status: 'DELETED', last_changed_at: now, synced_at: now });
      this.store.addHistory({
        templateId: old.id,
        at: now,
        kind: 'removed',
        from: old.status,
        to: 'DELETED',
        reason: null,
        source: 'sync',
      });
      changes.removed++;
      changes.ids.add(old.id);
    }
  }

  /** Writes `next` over `old`, one history entry per kind of change. Returns whether anything changed. */
  private applyDiff(old: TemplateRow, next: TemplateRow, at: number, source: 'sync' | 'webhook', reason: string | null = null): boolean {
    let changed = false;
    const note = (kind: 'status' | 'quality' | 'category' | 'components', from: string | null, to: string | null, why: string | null) => {
      this.store.addHistory({ templateId: old.id, at, kind, from, to, reason: why, source });
      changed = true;
    };
    if (old.status !== next.status) note('status', old.status, next.status, reason ?? next.rejected_reason);
    if (old.quality !== next.quality) note('quality', old.quality, next.quality, null);
    if (old.category !== next.category) note('category', old.category, next.category, null);
    if (old.components !== next.components) note('components', null, null, null);
    const meta = old.rejected_reason !== next.rejected_reason || old.parameter_format !== next.parameter_format || old.name !== next.name;
    this.store.update({
      ...next,
      created_at: old.created_at,
      last_changed_at: changed ? at : old.last_changed_at,
      synced_at: source === 'sync' ? at : old.synced_at,
    });
    return changed || meta;
  }

  // ---- webhooks ------------------------------------------------------------------------------

  private rowFor(v: Record<string, unknown>, wabaId?: string): TemplateRow | null {
    const id = v.message_template_id !== undefined ? String(v.message_template_id) : null;
    const byId = id ? this.store.byId(id) : null;
    if (byId) return byId;
    const name = typeof v.message_template_name === 'string' ? v.message_template_name : null;
    const lang = typeof v.message_template_language === 'string' ? normalizeLanguage(v.message_template_language) : null;
    return name && lang ? this.store.byNameLanguage(name, lang, wabaId ? [wabaId] : undefined) : null;
  }

  /**
   * message_template_status_update. Idempotent (the same event twice changes nothing) and safe
   * out of order (an event older than the last known change is kept in history only). A deleted
   * template stays deleted: Meta never brings one back (the same name is a new template with a new
   * id), so a late event about it (a review's "rejected" delivered after the delete, within the
   * second the stale check allows) is history only. An unknown template triggers a background sync.
   */
  applyTemplateStatusUpdate(ev: ManagementEventLike): void {
    const v = ev.value;
    const event = String(v.event ?? ev.event ?? '').toUpperCase();
    const at = ev.time ?? this.ctx.clock.now();
    const row = this.rowFor(v, ev.wabaId || undefined);
    const title = (v.other_info as { title?: string } | undefined)?.title ?? null;
    const reason = normalizeRejectedReason(v.reason) ?? title ?? (event in EVENT_STATUS ? event : null);
    const status = event in EVENT_STATUS ? EVENT_STATUS[event]! : normalizeTemplateStatus(event);
    if (!row) {
      if (v.message_template_id !== undefined) {
        this.store.addHistory({
          templateId: String(v.message_template_id),
          at,
          kind: 'status',
          from: null,
          to: status,
          reason,
          source: 'webhook',
        });
      }
      this.requestSync('unknown template in a status webhook');
      return;
    }
    const afterDeletion = row.status === 'DELETED' && status !== 'DELETED';
    if (status === null || status === 'UNKNOWN' || this.isStale(at, row) || afterDeletion) {
      this.store.addHistory({
        templateId: row.id,
        at,
        kind: 'status',
        from: row.status,
        to: status ?? row.status,
        reason,
        source: 'webhook',
      });
      this.changed(row, at);
      return;
    }
    const next: TemplateRow = {
      ...row,
      status,
      rejected_reason: status === 'REJECTED' ? normalizeRejectedReason(v.reason) : row.rejected_reason,
    };
    if (status === 'APPROVED') next.rejected_reason = null;
    if (this.applyDiff(row, next, at, 'webhook', reason)) this.changed(row, at);
  }

  /** message_template_quality_update: new_quality_score. */
  applyTemplateQualityUpdate(ev: ManagementEventLike): void {
    const v = ev.value;
    const at = ev.time ?? this.ctx.clock.now();
    const row = this.rowFor(v, ev.wabaId || undefined);
    const quality = normalizeTemplateQuality(v.new_quality_score);
    if (!row) return this.requestSync('unknown template in a quality webhook');
    if (this.isStale(at, row)) {
      this.store.addHistory({
        templateId: row.id,
        at,
        kind: 'quality',
        from: normalizeTemplateQuality(v.previous_quality_score),
        to: quality,
        reason: null,
        source: 'webhook',
      });
      return this.changed(row, at);
    }
    if (this.applyDiff(row, { ...row, quality }, at, 'webhook')) this.changed(row, at);
  }

  /** template_category_update: the change itself (new_category) or the 24-hour warning (correct_category). */
  applyTemplateCategoryUpdate(ev: ManagementEventLike): void {
    const v = ev.value;
    const at = ev.time ?? this.ctx.clock.now();
    const row = this.rowFor(v, ev.wabaId || undefined);
    if (!row) return this.requestSync('unknown template in a category webhook');
    if (v.new_category !== undefined) {
      const category = normalizeTemplateCategory(v.new_category);
      if (this.applyDiff(row, { ...row, category, previous_category: row.category }, at, 'webhook')) this.changed(row, at);
    } else if (v.correct_category !== undefined) {
      const when = Number(v.category_update_timestamp) || null;
      this.store.addHistory({
        templateId: row.id,
        at,
        kind: 'category',
        from: row.category,
        to: row.category,
        reason: `scheduled change to ${String(v.correct_category)}${when ? ` at ${new Date(when * 1000).toISOString()}` : ''}`,
        source: 'webhook',
      });
      this.changed(row, at);
    }
  }

  /** message_template_components_update: the template was edited; re-read it. */
  applyTemplateComponentsUpdate(_ev: ManagementEventLike): void {
    this.requestSync('template edited');
  }

  /**
   * An event older than the last change Pacer knows (a late retry, out-of-order delivery). Webhook
   * times are whole seconds (entry.time), so only a full second earlier counts as older.
   */
  private isStale(at: number, row: TemplateRow): boolean {
    return at + 1_000 <= row.last_changed_at;
  }

  private changed(row: TemplateRow, at: number): void {
    this.ctx.emit('templates:changed', { wabaId: row.waba_id, ids: [row.id], source: 'webhook', at });
  }

  private pendingSync: ReturnType<CoreContext['clock']['setTimeout']> | null = null;

  /** A sync soon (debounced 5 s), in the background: for webhooks about templates Pacer has not seen. */
  requestSync(why: string): void {
    if (this.pendingSync || !this.account.connection()) return;
    this.pendingSync = this.ctx.clock.setTimeout(() => {
      this.pendingSync = null;
      this.sync().catch((e: unknown) => this.ctx.log.warn('background template sync failed', { why, error: String(e) }));
    }, 5_000);
  }

  cancelPending(): void {
    if (this.pendingSync) this.ctx.clock.clearTimeout(this.pendingSync);
    this.pendingSync = null;
  }
}

function fromGraph(wabaId: string, t: GraphTemplate, now: number): TemplateRow {
  return {
    id: String(t.id),
    waba_id: wabaId,
    name: t.name,
    language: normalizeLanguage(t.language),
    status: normalizeTemplateStatus(t.status),
    category: normalizeTemplateCategory(t.category),
    previous_category: t.previous_category ?? null,
    sub_category: t.sub_category ?? null,
    quality: normalizeTemplateQuality(t.quality_score?.score),
    rejected_reason: normalizeRejectedReason(t.rejected_reason),
    parameter_format: normalizeParameterFormat(t.parameter_format),
    components: JSON.stringify(t.components ?? []),
    last_changed_at: now,
    synced_at: now,
    created_at: now,
  };
}
