/**
 * Binds the campaign ports to the real modules of the other domains:
 * - templates and the account from B2's services (whatsapp/index.ts), sends through a GraphClient
 *   on the stored connection (no client-side retries: the sender paces and retries);
 * - contacts from the contacts tables (migration 0002), with the audience expression language
 *   `all`, `tag:NAME`, `segment:NAME` (a saved segment's rule, itself an expression), `and`, `or`,
 *   `not`, parentheses.
 */
import type { CoreContext } from '../context';
import { PacerError } from '../errors';
import { GraphClient } from '../whatsapp/client';
import { whatsappServices } from '../whatsapp/index';
import { tierLimit } from './messaging-window';
import type { AudienceContact, ConsentState } from './plan';
import type { AccountPort, CampaignPorts, ConsentCategory, ContactsPort, TemplateInfo, TemplatesPort } from './ports';

// ---- templates and account (B2's services) ---------------------------------------------------

export function templatesFromService(ctx: CoreContext): TemplatesPort {
  const { templates } = whatsappServices(ctx);
  return {
    get(name, language) {
      const t = templates.getTemplate(name, language);
      if (!t || t.status === 'DELETED') return null;
      return {
        name: t.name, language: t.language, status: t.status, category: t.category, quality: t.quality,
        parameter_format: t.parameterFormat, components: t.components as TemplateInfo['components'],
      };
    },
  };
}

/**
 * The account service decides whether sending is possible and what the limit is; sends go through
 * our own GraphClient on the same connection with NO client-side retries: a retry the sender does
 * not see would bypass its throughput limiter and its at-most-once bookkeeping.
 */
export function accountFromService(ctx: CoreContext, opts: { timeoutMs?: number } = {}): AccountPort {
  const { account } = whatsappServices(ctx);
  let client: { key: string; client: GraphClient } | null = null;
  const quality = ctx.db.prepare(`SELECT quality_rating FROM wa_phone_numbers WHERE id = ?`);
  return {
    messagingLimit() {
      const l = account.portfolioLimit();
      return tierLimit(l) === null ? null : l;
    },
    defaultPhoneNumberId: () => account.connection()?.phone_number_id ?? null,
    numberQuality: (id) => (quality.get(id) as { quality_rating: string } | undefined)?.quality_rating ?? null,
    sendBlocker: () => account.canSend().blockers[0] ?? null,
    async send(phoneNumberId, body, signal) {
      const c = account.connection();
      if (!c) throw new PacerError('unavailable', 'No WhatsApp account is connected.');
      const key = `${c.graph_url}|${c.api_version}`;
      if (client?.key !== key) {
        client = {
          key,
          client: new GraphClient({
            baseUrl: c.graph_url, apiVersion: c.api_version, token: () => ctx.secrets.get('access_token'),
            fetch: ctx.fetch, clock: ctx.clock, log: ctx.log, retries: 0, timeoutMs: opts.timeoutMs ?? 30_000,
          }),
        };
      }
      return client.client.sendTemplate(phoneNumberId, body, signal);
    },
  };
}

// ---- contacts --------------------------------------------------------------------------------

type Node =
  | { op: 'all' }
  | { op: 'tag'; name: string }
  | { op: 'segment'; name: string }
  | { op: 'not'; a: Node }
  | { op: 'and' | 'or'; a: Node; b: Node };

/** Parses `tag:vip and not (tag:"new york" or segment:lapsed)`. */
export function parseAudience(text: string): Node {
  const tokens: string[] = [];
  const re = /\s*(\(|\)|(?:tag|segment):"(?:[^"\\]|\\.)*"|(?:tag|segment):[^\s()]+|[^\s()]+)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text))) { tokens.push(m[1]!); last = re.lastIndex; }
  if (text.slice(last).trim()) throw new PacerError('bad_input', `audience: cannot read ${JSON.stringify(text.slice(last).trim())}`);
  let i = 0;
  const peek = () => tokens[i]?.toLowerCase();
  const unq = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s);
  const primary = (): Node => {
    const t = tokens[i++];
    if (t === undefined) throw new PacerError('bad_input', 'audience: expression ends too early');
    const low = t.toLowerCase();
    if (t === '(') {
      const n = or();
      if (tokens[i++] !== ')') throw new PacerError('bad_input', 'audience: missing ")"');
      return n;
    }
    if (low === 'not') return { op: 'not', a: primary() };
    if (low === 'all') return { op: 'all' };
    if (low.startsWith('tag:') && t.length > 4) return { op: 'tag', name: unq(t.slice(4)) };
    if (low.startsWith('segment:') && t.length > 8) return { op: 'segment', name: unq(t.slice(8)) };
    throw new PacerError('bad_input', `audience: unexpected ${JSON.stringify(t)} (use all, tag:NAME, segment:NAME, and, or, not, parentheses)`);
  };
  const and = (): Node => {
    let n = primary();
    while (peek() === 'and') { i++; n = { op: 'and', a: n, b: primary() }; }
    return n;
  };
  const or = (): Node => {
    let n = and();
    while (peek() === 'or') { i++; n = { op: 'or', a: n, b: and() }; }
    return n;
  };
  const root = or();
  if (i < tokens.length) throw new PacerError('bad_input', `audience: unexpected ${JSON.stringify(tokens[i])}`);
  return root;
}

/** Compiles to SQL selecting contact ids; segments expand to their saved rule (no cycles). */
function toSql(ctx: CoreContext, n: Node, params: unknown[], depth = 0): string {
  if (depth > 20) throw new PacerError('bad_input', 'audience: segments nest too deep (a cycle?)');
  switch (n.op) {
    case 'all': return 'SELECT id FROM contacts';
    case 'tag':
      params.push(n.name);
      return 'SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?';
    case 'segment': {
      const s = ctx.db.prepare('SELECT rule FROM segments WHERE name = ?').get(n.name) as { rule: string } | undefined;
      if (!s) throw new PacerError('bad_input', `audience: no segment named ${JSON.stringify(n.name)}`);
      let rule = s.rule;
      try {
        const parsed = JSON.parse(rule) as unknown;
        if (typeof parsed === 'string') rule = parsed;
        else if (parsed && typeof parsed === 'object' && typeof (parsed as { expression?: unknown }).expression === 'string') rule = (parsed as { expression: string }).expression;
      } catch { /* a plain expression */ }
      return toSql(ctx, parseAudience(rule), params, depth + 1);
    }
    case 'not': return `SELECT id FROM contacts EXCEPT ${wrap(toSql(ctx, n.a, params, depth))}`;
    case 'and': return `${wrap(toSql(ctx, n.a, params, depth))} INTERSECT ${wrap(toSql(ctx, n.b, params, depth))}`;
    case 'or': return `${wrap(toSql(ctx, n.a, params, depth))} UNION ${wrap(toSql(ctx, n.b, params, depth))}`;
  }
}
const wrap = (sql: string) => `SELECT * FROM (${sql})`;

interface ContactSqlRow { id: number; phone: string; first_name: string | null; last_name: string | null; name: string; email: string | null; consent: string | null; attrs: string | null }

export function contactsFromDb(ctx: CoreContext, opts: { recordOptOut?: ContactsPort['recordOptOut'] } = {}): ContactsPort {
  const select = (where: string) => `SELECT c.id, c.phone, c.first_name, c.last_name, c.name, c.email,
      (SELECT state FROM consent_state s WHERE s.contact_id = c.id AND s.category = ?) AS consent,
      (SELECT json_group_object(d.name, a.value) FROM contact_attributes a JOIN attribute_defs d ON d.id = a.attr_id WHERE a.contact_id = c.id) AS attrs
    FROM contacts c ${where}`;
  const toContact = (r: ContactSqlRow): AudienceContact => ({
    id: r.id, phone: r.phone, first_name: r.first_name, last_name: r.last_name, name: r.name, email: r.email,
    consent: (r.consent as ConsentState | null) ?? 'unknown',
    attributes: r.attrs ? (JSON.parse(r.attrs) as Record<string, unknown>) : {},
  });
  return {
    resolveAudience(expr: string, category: ConsentCategory) {
      const params: unknown[] = [];
      const ids = toSql(ctx, parseAudience(expr), params);
      const rows = ctx.db.prepare(`${select(`WHERE c.id IN (${ids})`)} ORDER BY c.id`).all(category, ...params) as ContactSqlRow[];
      return rows.map(toContact);
    },
    consentOf(ids, category) {
      const out = new Map<number, ConsentState>();
      const stmt = ctx.db.prepare(`SELECT c.id, (SELECT state FROM consent_state s WHERE s.contact_id = c.id AND s.category = ?) AS consent
        FROM contacts c WHERE c.id IN (SELECT value FROM json_each(?))`);
      for (let i = 0; i < ids.length; i += 5000) {
        for (const r of stmt.all(category, JSON.stringify(ids.slice(i, i + 5000))) as { id: number; consent: string | null }[]) {
          out.set(r.id, (r.consent as ConsentState | null) ?? 'unknown');
        }
      }
      return out;
    },
    recordOptOut(phone, detail) {
      if (opts.recordOptOut) return opts.recordOptOut(phone, detail);
      // Same rows the contacts service writes: an append-only consent event and the current state.
      ctx.db.transaction(() => {
        const c = ctx.db.prepare('SELECT id FROM contacts WHERE phone = ?').get(phone) as { id: number } | undefined;
        if (!c) return;
        const ev = ctx.db.prepare(`INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, evidence, at)
          VALUES (?, 'marketing', 'opted_out', 'error_131050', 'error 131050', 'system', ?, ?)`).run(c.id, detail.evidence, detail.at);
        ctx.db.prepare(`INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (?, 'marketing', 'opted_out', ?, ?)
          ON CONFLICT (contact_id, category) DO UPDATE SET state = 'opted_out', updated_at = excluded.updated_at, event_id = excluded.event_id
          WHERE excluded.updated_at >= consent_state.updated_at`).run(c.id, detail.at, ev.lastInsertRowid);
      })();
    },
    contact(id) {
      const r = ctx.db.prepare(select('WHERE c.id = ?')).get('marketing', id) as ContactSqlRow | undefined;
      return r ? toContact(r) : null;
    },
  };
}

export function livePorts(ctx: CoreContext, opts: { timeoutMs?: number; recordOptOut?: ContactsPort['recordOptOut'] } = {}): CampaignPorts {
  return { contacts: contactsFromDb(ctx, opts), templates: templatesFromService(ctx), account: accountFromService(ctx, opts) };
}
