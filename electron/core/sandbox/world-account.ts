/**
 * The emulated account: the portfolio messaging limit (tiers, auto-scaling), phone numbers
 * (quality, status, throughput), scripted users and uploaded media.
 */
import crypto from 'node:crypto';
import { LIMIT_VALUES, NEXT_LIMIT, userSchema, type MessagingLimit, type PhoneQuality, type ScenarioUser } from './scenario';
import { digitsOf, WorldBase, type MediaRecord, type PhoneState } from './world-base';

export abstract class WorldAccount extends WorldBase {
  // ---------------------------------------------------------------- account

  setMessagingLimit(limit: MessagingLimit): void {
    const old = this.business.messaging_limit;
    if (old === limit) return;
    this.business.messaging_limit = limit;
    const value = LIMIT_VALUES[limit];
    const asNumber = Number.isFinite(value) ? value : -1;
    for (const w of this.wabas.values()) {
      const cap = this.scenario.webhooks.capability_format === 'tier' ? limit : asNumber;
      this.managementWebhook(
        w.id,
        'business_capability_update',
        {
          max_daily_conversation_per_phone: asNumber,
          max_daily_conversations_per_business: cap,
          max_phone_numbers_per_business: 25,
          max_phone_numbers_per_waba: 25,
        },
        `business_capability_update:${limit}`,
      );
      const up = (LIMIT_VALUES[limit] ?? 0) > (LIMIT_VALUES[old] ?? 0);
      for (const p of this.phonesOf(w.id))
        this.managementWebhook(
          w.id,
          'phone_number_quality_update',
          {
            display_phone_number: digitsOf(p.display_phone_number),
            event: up ? 'UPGRADE' : 'DOWNGRADE',
            current_limit: limit,
            old_limit: old,
            max_daily_conversations_per_business: limit,
          },
          `phone_number_quality_update:${up ? 'UPGRADE' : 'DOWNGRADE'} ${p.id}`,
        );
    }
  }

  /** Meta raises the limit one level (within 6 h) once half of it was used with good quality. */
  protected considerAutoScaling(now: number): void {
    const l = this.scenario.limits;
    const next = NEXT_LIMIT[this.business.messaging_limit];
    if (!l.auto_scaling || !next || this.pendingUpgrade) return;
    if (this.portfolio.size(now) < this.limitValue() / 2) return;
    if ([...this.phones.values()].some((p) => p.quality_rating === 'RED')) return;
    const from = this.business.messaging_limit;
    this.pendingUpgrade = true;
    this.after(l.auto_scaling_delay_ms, () => {
      this.pendingUpgrade = false;
      if (this.business.messaging_limit === from) this.setMessagingLimit(next);
    });
  }

  setPhone(
    id: string,
    patch: { quality_rating?: PhoneQuality; status?: PhoneState['status']; throughput_level?: 'STANDARD' | 'HIGH' },
  ): PhoneState {
    const p = this.phoneOrThrow(id);
    const limit = this.business.messaging_limit;
    if (patch.quality_rating && patch.quality_rating !== p.quality_rating) {
      const wasRed = p.quality_rating === 'RED';
      p.quality_rating = patch.quality_rating;
      const event = patch.quality_rating === 'RED' ? 'FLAGGED' : wasRed ? 'UNFLAGGED' : undefined;
      if (event)
        this.managementWebhook(
          p.waba_id,
          'phone_number_quality_update',
          {
            display_phone_number: digitsOf(p.display_phone_number),
            event,
            current_limit: limit,
            max_daily_conversations_per_business: limit,
          },
          `phone_number_quality_update:${event} ${p.id}`,
        );
    }
    if (patch.status) p.status = patch.status;
    if (patch.throughput_level && patch.throughput_level !== p.throughput_level) {
      p.throughput_level = patch.throughput_level;
      if (patch.throughput_level === 'HIGH')
        this.managementWebhook(
          p.waba_id,
          'phone_number_quality_update',
          {
            display_phone_number: digitsOf(p.display_phone_number),
            event: 'THROUGHPUT_UPGRADE',
            current_limit: limit,
            max_daily_conversations_per_business: limit,
          },
          `phone_number_quality_update:THROUGHPUT_UPGRADE ${p.id}`,
        );
    }
    return p;
  }

  /** Adds or changes a recipient's scripted behaviour. */
  upsertUser(patch: Partial<ScenarioUser> & { phone: string }): void {
    const waId = patch.wa_id ?? digitsOf(patch.phone);
    const existing = this.users.get(waId);
    const base = userSchema.parse({ phone: patch.phone });
    const merged = {
      ...base,
      ...existing,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    } as ScenarioUser;
    this.users.set(waId, merged);
  }

  storeMedia(phoneId: string, data: Buffer, mime: string): MediaRecord {
    this.phoneOrThrow(phoneId);
    const rec: MediaRecord = {
      id: this.nextId('7'),
      phone_number_id: phoneId,
      mime_type: mime,
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
      file_size: data.length,
      data,
    };
    this.media.set(rec.id, rec);
    return rec;
  }
}
