/**
 * Templates in the emulated account: status, quality and category changes with their webhooks,
 * the low-quality pause cycle (3 h, 6 h, disabled), templates added by the admin API.
 */
import { type QualityScore, type TemplateStatus, templateSchema } from './scenario';
import { HOUR, hyphenLanguage, PAUSE_MS, unix, type TemplateState } from './world-base';
import { WorldAccount } from './world-account';

export abstract class WorldTemplates extends WorldAccount {
  // ---------------------------------------------------------------- templates

  protected templateStatusWebhook(t: TemplateState, event: string, extra: Record<string, unknown> = {}): void {
    const value = {
      event,
      message_template_id: Number(t.id),
      message_template_name: t.name,
      message_template_language: hyphenLanguage(t.language),
      reason: event === 'PENDING_DELETION' ? null : event === 'REJECTED' ? (t.rejected_reason ?? 'NONE') : 'NONE',
      message_template_category: t.category,
      ...extra,
    };
    this.managementWebhook(t.waba_id, 'message_template_status_update', value, `template_status:${event} ${t.name}/${t.language}`);
  }

  templateByKey(name: string, language: string, wabaId?: string): TemplateState {
    for (const t of this.templates.values()) if (t.name === name && t.language === language && (!wabaId || t.waba_id === wabaId)) return t;
    throw new Error(`no template ${name} in ${language}`);
  }

  setTemplateStatus(t: TemplateState, status: TemplateStatus, reason?: string): void {
    if (status === 'PAUSED') return this.pause(t);
    this.pauseGeneration.set(t.id, (this.pauseGeneration.get(t.id) ?? 0) + 1);
    t.status = status;
    t.last_updated_time = this.clock.now();
    if (status === 'REJECTED') t.rejected_reason = (reason as TemplateState['rejected_reason']) ?? t.rejected_reason ?? 'INVALID_FORMAT';
    const extra: Record<string, unknown> = {};
    if (status === 'REJECTED')
      extra.rejection_info = { reason: t.rejected_reason, recommendation: 'Review the template guidelines and submit a new template.' };
    if (status === 'DISABLED') extra.disable_info = { disable_date: unix(this.clock.now()) };
    this.templateStatusWebhook(t, status, extra);
  }

  setTemplateQuality(t: TemplateState, quality: QualityScore): void {
    const previous = t.quality_score;
    t.quality_score = quality;
    t.last_updated_time = this.clock.now();
    this.managementWebhook(
      t.waba_id,
      'message_template_quality_update',
      {
        previous_quality_score: previous,
        new_quality_score: quality,
        message_template_id: Number(t.id),
        message_template_name: t.name,
        message_template_language: hyphenLanguage(t.language),
      },
      `template_quality:${quality} ${t.name}/${t.language}`,
    );
    if (quality === 'RED' && t.status === 'APPROVED') this.pause(t);
  }

  /** Meta re-categorised the template (template_category_update); pricing follows the new category. */
  setTemplateCategory(t: TemplateState, category: TemplateState['category']): void {
    const previous = t.category;
    if (previous === category) return;
    t.previous_category = previous;
    t.category = category;
    t.last_updated_time = this.clock.now();
    this.managementWebhook(
      t.waba_id,
      'template_category_update',
      {
        message_template_id: Number(t.id),
        message_template_name: t.name,
        message_template_language: hyphenLanguage(t.language),
        previous_category: previous,
        new_category: category,
      },
      `template_category_update:${category} ${t.name}/${t.language}`,
    );
  }

  /** Any webhook field the sandbox does not model (account_update, account_alerts, security…), wrapped and signed like the rest. */
  rawWebhook(field: string, value: object, wabaId?: string): void {
    const id = wabaId ?? this.wabas.keys().next().value;
    if (!id || !this.wabas.has(id)) throw new Error(wabaId ? `no WABA ${wabaId}` : 'the scenario has no WABA');
    this.managementWebhook(id, field, value, `${field}:raw`);
  }

  /** Low quality: paused 3 h the first time, 6 h the second, disabled the third. */
  protected pause(t: TemplateState): void {
    t.pause_count++;
    t.last_updated_time = this.clock.now();
    if (t.pause_count >= 3) {
      t.status = 'DISABLED';
      this.templateStatusWebhook(t, 'DISABLED', {
        disable_info: { disable_date: unix(this.clock.now()) },
        other_info: { title: 'DISABLED', description: 'Your message template has been disabled because of repeated low quality ratings.' },
      });
      return;
    }
    const ms = PAUSE_MS[t.pause_count - 1]!;
    t.status = 'PAUSED';
    this.templateStatusWebhook(t, 'PAUSED', {
      other_info: {
        title: t.pause_count === 1 ? 'FIRST_PAUSE' : 'SECOND_PAUSE',
        description: `Your message template has been paused for ${ms / HOUR} hours until ${new Date(this.clock.now() + ms).toISOString()} due to low quality.`,
      },
    });
    this.scheduleUnpause(t, ms);
  }

  protected scheduleUnpause(t: TemplateState, ms: number): void {
    const gen = (this.pauseGeneration.get(t.id) ?? 0) + 1;
    this.pauseGeneration.set(t.id, gen);
    this.after(ms, () => {
      if (this.pauseGeneration.get(t.id) === gen) this.unpause(t);
    });
  }

  protected unpause(t: TemplateState): void {
    if (t.status !== 'PAUSED') return;
    t.status = 'APPROVED';
    // Quality is re-assessed from recent feedback after a pause; the sandbox starts it afresh.
    t.quality_score = 'UNKNOWN';
    t.last_updated_time = this.clock.now();
    this.templateStatusWebhook(t, 'APPROVED', {
      other_info: { title: 'UNPAUSE', description: 'Your message template has been unpaused.' },
    });
  }

  /** Adds a template (admin); returns its id. */
  addTemplate(def: unknown, wabaId?: string): string {
    const w = wabaId ? this.wabas.get(wabaId) : this.wabas.values().next().value;
    if (!w) throw new Error(wabaId ? `no WABA ${wabaId}` : 'the scenario has no WABA');
    const r = templateSchema.safeParse(def);
    if (!r.success) throw new Error(`invalid template: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (this.findTemplate(w.id, r.data.name, r.data.language)) throw new Error(`template ${r.data.name}/${r.data.language} already exists`);
    const id = r.data.id ?? this.nextId('5');
    this.templates.set(id, { ...r.data, id, waba_id: w.id, last_updated_time: this.clock.now() });
    return id;
  }
}
