/**
 * The emulated account and everything that happens to it: template sends (validation, limits,
 * async outcomes), status webhooks, template pause cycles, tier changes, inbound replies and
 * opt-outs. The HTTP layer (server.ts) only parses requests and shapes responses.
 */
import type { TimelineEvent } from './scenario';
import { WorldMessages } from './world-messages';

export * from './world-base';

/** The emulated account (see world-base.ts for how it is layered); server.ts and admin.ts drive it. */
export class SandboxWorld extends WorldMessages {
  protected runTimelineEvent(e: TimelineEvent): void {
    try {
      switch (e.action) {
        case 'template_status':
          return this.setTemplateStatus(this.templateByKey(e.name, e.language), e.status, e.reason);
        case 'template_quality':
          return this.setTemplateQuality(this.templateByKey(e.name, e.language), e.quality);
        case 'template_category':
          return this.setTemplateCategory(this.templateByKey(e.name, e.language), e.category);
        case 'messaging_limit':
          return this.setMessagingLimit(e.limit);
        case 'webhook':
          return this.rawWebhook(e.field, e.value);
        case 'phone_quality':
          this.setPhone(e.phone_number_id, { quality_rating: e.quality });
          return;
        case 'throughput_upgrade':
          this.setPhone(e.phone_number_id, { throughput_level: 'HIGH' });
          return;
        case 'inbound':
          this.inbound({
            from: e.from,
            phone_number_id: e.phone_number_id,
            kind: e.kind,
            text: e.text,
            payload: e.payload,
            language: e.language,
          });
          return;
        case 'user_preferences':
          return this.setUserPreference(e.wa_id, e.value);
      }
    } catch {
      // References were checked at start; an entry can still fail if an admin call removed its target.
    }
  }

  async close(): Promise<void> {
    this.agenda.close();
    await this.webhooks.close();
  }
}
