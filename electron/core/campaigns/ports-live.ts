/**
 * Binds the campaign ports to the real services of the other domains, which the composition root
 * (compose.ts) builds first and passes in:
 * - templates and the account (templates/service.ts, account/service.ts); sends go through a
 *   GraphClient on the stored connection (no client-side retries: the sender paces and retries);
 * - contacts from the contacts service.
 */
import type { CoreContext } from '../context';
import { PacerError } from '../errors';
import { GraphClient } from '../whatsapp/client';
import type { AccountService } from '../account/service';
import type { TemplatesService } from '../templates/service';
import type { ContactsService } from '../contacts/service';
import { noteMarketingTerms } from '../whatsapp/mm-status';
import { tierLimit } from './messaging-window';
import type { AudienceContact, ConsentState } from './plan';
import { audienceSql } from '../contacts/rules';
import { heldAmong } from '../contacts/holds';
import { contactIdByUserId } from '../contacts/user-ids-store';
import { recordConsent } from '../contacts/consent';
import type { ContactRow } from '../../../shared/contract/contacts';
import type { AccountPort, CampaignPorts, ConsentCategory, ContactSendState, ContactsPort, TemplateInfo, TemplatesPort } from './ports';

// ---- templates and account -------------------------------------------------------------------

export function templatesFromService(ctx: CoreContext, templates: TemplatesService): TemplatesPort {
  // The sender asks at every claim (about 450 times a second at full rate); reading and parsing a
  // template each time cost more than the claim. Every write to wa_templates bumps this counter
  // (migration 0009's triggers), so a cached answer is never older than the last commit.
  const fingerprint = ctx.db.prepare(`SELECT value FROM app_meta WHERE key = 'templates.version'`).pluck();
  const cache = new Map<string, { version: string; info: TemplateInfo | null }>();
  return {
    get(name, language) {
      const version = fingerprint.get() as string;
      const key = `${name}\u0000${language}`;
      const hit = cache.get(key);
      if (hit?.version === version) return hit.info;
      const t = templates.getTemplate(name, language);
      const info: TemplateInfo | null =
        !t || t.status === 'DELETED'
          ? null
          : {
              name: t.name,
              language: t.language,
              status: t.status,
              category: t.category,
              quality: t.quality,
              changedAt: t.lastChangedAt,
              parameter_format: t.parameterFormat,
              components: t.components as TemplateInfo['components'],
            };
      if (cache.size > 500) cache.clear();
      cache.set(key, { version, info });
      return info;
    },
  };
}

/**
 * The account service decides whether sending is possible and what the limit is; sends go through
 * our own GraphClient on the same connection with NO client-side retries: a retry the sender does
 * not see would bypass its throughput limiter and its at-most-once bookkeeping.
 */
export function accountFromService(ctx: CoreContext, account: AccountService, opts: { timeoutMs?: number } = {}): AccountPort {
  let client: { key: string; client: GraphClient } | null = null;
  const quality = ctx.db.prepare(`SELECT quality_rating FROM wa_phone_numbers WHERE id = ?`);
  // The connection changes only on connect/disconnect: re-read it at most once a second, not per send.
  let conn: { at: number; value: ReturnType<typeof account.connection> } = { at: -Infinity, value: null };
  let strict = { at: -Infinity, value: false };
  const connection = () => {
    const now = ctx.clock.now();
    if (now - conn.at > 1000) conn = { at: now, value: account.connection() };
    return conn.value;
  };
  return {
    messagingLimit() {
      const l = account.portfolioLimit();
      return tierLimit(l) === null ? null : l;
    },
    defaultPhoneNumberId: () => connection()?.phone_number_id ?? null,
    numberQuality: (id) => (quality.get(id) as { quality_rating: string } | undefined)?.quality_rating ?? null,
    sendBlocker: () => account.canSend().blockers[0] ?? null,
    noteSendError: (e) => account.noteGraphError(e),
    setSendTimeout(ms) {
      opts.timeoutMs = ms;
      client = null;
    },
    // Read at most once a second: the settings file is parsed at every get(), and this is asked per marketing send.
    marketingStrict: () => {
      const now = ctx.clock.now();
      if (now - strict.at > 1000) strict = { at: now, value: ctx.settings.get().mmStrict };
      return strict.value;
    },
    noteMarketingTerms: (accepted, detail) =>
      noteMarketingTerms(ctx, accepted ? 'accepted' : 'not_accepted', accepted ? 'marketing_send' : 'strict_refusal', detail),
    async send(phoneNumberId, body, signal, endpoint) {
      const c = connection();
      if (!c) throw new PacerError('unavailable', 'No WhatsApp account is connected.');
      const key = `${c.graph_url}|${c.api_version}`;
      if (client?.key !== key) {
        client = {
          key,
          client: new GraphClient({
            baseUrl: c.graph_url,
            apiVersion: c.api_version,
            token: () => ctx.secrets.get('access_token'),
            fetch: ctx.graphFetch,
            clock: ctx.clock,
            log: ctx.log,
            retries: 0,
            timeoutMs: opts.timeoutMs ?? 30_000,
          }),
        };
      }
      return client.client.sendTemplate(phoneNumberId, body, signal, endpoint);
    },
  };
}

// ---- contacts ----------------------------------------------------------------------------------

/**
 * Audiences come from the contacts service (its expression language: all, tag:NAME, segment:NAME,
 * and/or/not, parentheses). Opted-out contacts are included here, marked, so the plan can count
 * them; the sender never sends to them.
 */
export function contactsFromService(ctx: CoreContext, service: ContactsService): ContactsPort {
  const toContact = (c: ContactRow, category: ConsentCategory): AudienceContact => ({
    id: c.id,
    phone: c.phone,
    user_id: c.user_id ?? null,
    first_name: c.first_name,
    last_name: c.last_name,
    name: c.name,
    email: c.email,
    consent: c.consent[category],
    attributes: c.attributes,
  });
  const insertMessage = ctx.db.prepare(
    'INSERT INTO contact_messages (contact_id, campaign_id, campaign_name, template, status, error, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const touchContact = ctx.db.prepare('UPDATE contacts SET last_messaged_at = max(coalesce(last_messaged_at, 0), ?) WHERE id = ?');
  const consentStmt = ctx.db
    .prepare(`SELECT c.id, (SELECT state FROM consent_state s WHERE s.contact_id = c.id AND s.category = ?) AS consent
    FROM contacts c WHERE c.id IN (SELECT value FROM json_each(?))`);
  const sendStateStmt = ctx.db.prepare(`SELECT c.id, c.phone, c.user_id AS userId,
      (SELECT state FROM consent_state s WHERE s.contact_id = c.id AND s.category = ?) AS consent,
      EXISTS (SELECT 1 FROM contact_holds h WHERE h.contact_id = c.id) AS held
    FROM contacts c WHERE c.id IN (SELECT value FROM json_each(?))`);
  const sendStateOne = ctx.db.prepare(`SELECT c.phone, c.user_id AS userId,
      (SELECT state FROM consent_state s WHERE s.contact_id = c.id AND s.category = ?) AS consent,
      EXISTS (SELECT 1 FROM contact_holds h WHERE h.contact_id = c.id) AS held
    FROM contacts c WHERE c.id = ?`);
  return {
    resolveAudience(expr, category) {
      const out: AudienceContact[] = [];
      for (const page of service.iterate(audienceSql(ctx.db, expr, ctx.clock.now()), 5000)) {
        const held = heldAmong(
          ctx.db,
          page.map((c) => c.id),
        );
        for (const c of page) out.push(held.has(c.id) ? { ...toContact(c, category), held: true } : toContact(c, category));
      }
      return out;
    },
    heldOf(ids) {
      return heldAmong(ctx.db, ids);
    },
    sendStateOf(ids, category) {
      const out = new Map<number, ContactSendState>();
      // A claim batch is a few rows: one indexed lookup each is cheaper than building JSON for json_each.
      if (ids.length <= 16) {
        for (const id of ids) {
          const r = sendStateOne.get(category, id) as
            { phone: string | null; userId: string | null; consent: string | null; held: number } | undefined;
          if (r)
            out.set(id, { consent: (r.consent as ConsentState | null) ?? 'unknown', held: r.held === 1, phone: r.phone, userId: r.userId });
        }
        return out;
      }
      for (let i = 0; i < ids.length; i += 5000) {
        for (const r of sendStateStmt.all(category, JSON.stringify(ids.slice(i, i + 5000))) as {
          id: number;
          phone: string | null;
          userId: string | null;
          consent: string | null;
          held: number;
        }[]) {
          out.set(r.id, { consent: (r.consent as ConsentState | null) ?? 'unknown', held: r.held === 1, phone: r.phone, userId: r.userId });
        }
      }
      return out;
    },
    consentOf(ids, category) {
      const out = new Map<number, ConsentState>();
      for (let i = 0; i < ids.length; i += 5000) {
        for (const r of consentStmt.all(category, JSON.stringify(ids.slice(i, i + 5000))) as { id: number; consent: string | null }[]) {
          out.set(r.id, (r.consent as ConsentState | null) ?? 'unknown');
        }
      }
      return out;
    },
    recordOptOut(phone, detail) {
      // A row addressed by user id: the contact with that id (contacts/user-ids-store.ts).
      if (phone.startsWith('bsuid:')) {
        const id = contactIdByUserId(ctx.db, phone.slice('bsuid:'.length));
        if (id !== null)
          recordConsent(ctx.db, {
            contactId: id,
            category: 'marketing',
            state: 'opted_out',
            source: 'error_131050',
            sourceDetail: 'error 131050',
            actor: 'system',
            evidence: detail.evidence,
            at: detail.at,
          });
        return;
      }
      // detail.at: the status webhook's timestamp (or the send's time): consent follows the latest action.
      service.recordConsentByPhone({
        phone,
        category: 'marketing',
        state: 'opted_out',
        source: 'error_131050',
        sourceDetail: 'error 131050',
        actor: 'system',
        evidence: detail.evidence,
        at: detail.at,
      });
    },
    contact(id) {
      const c = service.getById(id);
      return c ? { ...toContact(c, 'marketing'), ...(heldAmong(ctx.db, [id]).size ? { held: true } : {}) } : null;
    },
    // The contacts domain's per-contact history table (written like ContactsService.recordMessage,
    // with statements prepared once: this runs for every send).
    recordMessages(list) {
      for (const m of list) {
        insertMessage.run(m.contactId, m.campaignId, m.campaignName, m.template, m.status, m.error, m.at);
        touchContact.run(m.at, m.contactId);
      }
    },
  };
}

/** The ports of the running core, over the services built before campaigns (compose.ts). */
export function livePorts(
  ctx: CoreContext,
  services: { account: AccountService; templates: TemplatesService; contacts: ContactsService },
  opts: { timeoutMs?: number } = {},
): CampaignPorts {
  return {
    contacts: contactsFromService(ctx, services.contacts),
    templates: templatesFromService(ctx, services.templates),
    account: accountFromService(ctx, services.account, opts),
  };
}
