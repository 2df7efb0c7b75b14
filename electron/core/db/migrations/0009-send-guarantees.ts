import type { Migration } from './types';

/**
 * Send guarantees that do not depend on who made the change. An opt-out, a number-changed hold,
 * an erasure or an edited number can come from any channel — the app, the CLI, a webhook applied
 * on the receiver's writer connection, an import — while a campaign's rows wait (for the 24-hour
 * budget, the send rate, a retry). These triggers end the affected `pending` rows as `skipped` with
 * the reason in the same transaction as the change, so the report and the UI show it at once.
 *
 * They are the visible half. The binding half is the sender's send-time rule (campaigns/send-gate.ts),
 * applied in the claim's own write transaction, which also covers what a trigger cannot see (a
 * marketing opt-in that disappeared, the frequency cap, the template's category).
 *
 * A campaign's consent category follows its template's CURRENT category (wa_templates), falling back
 * on the category stored with the campaign: MARKETING → marketing, anything else → utility.
 */
const campaignsOfCategory = (category: string) => `campaign_id IN (
      SELECT c.id FROM campaigns c
      WHERE CASE WHEN upper(coalesce(
        (SELECT t.category FROM wa_templates t WHERE t.name = c.template_name AND t.language = c.template_language LIMIT 1),
        c.template_category, '')) = 'MARKETING' THEN 'marketing' ELSE 'utility' END = ${category})`;

export const migration0009: Migration = {
  version: 9,
  name: 'send-guarantees',
  up: `
    CREATE TRIGGER campaign_recipients_skip_opted_out_insert AFTER INSERT ON consent_state
      WHEN NEW.state = 'opted_out'
      BEGIN
        UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'opted_out', updated_at = NEW.updated_at
        WHERE contact_id = NEW.contact_id AND state = 'pending' AND ${campaignsOfCategory('NEW.category')};
      END;
    CREATE TRIGGER campaign_recipients_skip_opted_out_update AFTER UPDATE OF state ON consent_state
      WHEN NEW.state = 'opted_out'
      BEGIN
        UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'opted_out', updated_at = NEW.updated_at
        WHERE contact_id = NEW.contact_id AND state = 'pending' AND ${campaignsOfCategory('NEW.category')};
      END;
    CREATE TRIGGER campaign_recipients_skip_held AFTER INSERT ON contact_holds
      BEGIN
        UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'held_number_changed', updated_at = NEW.held_at
        WHERE contact_id = NEW.contact_id AND state = 'pending';
      END;
    CREATE TRIGGER campaign_recipients_skip_phone_changed AFTER UPDATE OF phone ON contacts
      WHEN NEW.phone IS NOT OLD.phone
      BEGIN
        UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'phone_changed', updated_at = NEW.updated_at
        WHERE contact_id = NEW.id AND state = 'pending';
      END;
    -- The sender re-reads a campaign's template at every claim; this counter tells it, in one lookup,
    -- whether any template changed since it last read one (campaigns/ports-live.ts caches by it).
    INSERT OR IGNORE INTO app_meta (key, value) VALUES ('templates.version', '0');
    CREATE TRIGGER wa_templates_version_insert AFTER INSERT ON wa_templates
      BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'templates.version'; END;
    CREATE TRIGGER wa_templates_version_update AFTER UPDATE ON wa_templates
      BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'templates.version'; END;
    CREATE TRIGGER wa_templates_version_delete AFTER DELETE ON wa_templates
      BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'templates.version'; END;
    -- Erasure: deleting a contact sets the ledger's contact_id to NULL (0005's trigger then drops the number).
    CREATE TRIGGER campaign_recipients_skip_erased AFTER UPDATE OF contact_id ON campaign_recipients
      WHEN NEW.contact_id IS NULL AND OLD.contact_id IS NOT NULL AND NEW.state = 'pending'
      BEGIN
        UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'erased' WHERE id = NEW.id;
      END;
  `,
};
