/**
 * The audit trail's calls for actions that arrive through the contract (every host: the app, the
 * harness and the CLI all dispatch here): campaign start/pause/resume/cancel/resend, account
 * connect/disconnect, exports (contacts, a person's data, a campaign's recipients, the trail
 * itself). Each rule turns a successful call into one entry; a failed call records nothing.
 *
 * Why a wrapper over the handler table instead of calls inside the services: the campaign and
 * contacts services are being split (issue #12) and the audited fact is exactly "this contract
 * call succeeded". Actions that do not come through the contract are recorded where they happen:
 * imports and consent changes by triggers (migration 0010), erasures and lifts by the contacts
 * service, webhook value errors by the webhook scope store, pruning by retention.ts.
 */
import type { Handlers } from '../api/handlers';
import type { CoreContext } from '../context';
import { recordAudit, type AuditRecord } from './record';

type Obj = Record<string, unknown>;
/** What a rule may look up that the call's input and answer do not carry. */
export interface AuditLookups {
  /** A campaign's name (null when it is gone): entries name their campaign, so a search by name finds them all. */
  campaignName(id: string): string | null;
}
type Rule = (input: Obj, output: Obj, look: AuditLookups) => AuditRecord | null;

const origin = (url: unknown) => {
  try {
    return typeof url === 'string' ? new URL(url).origin : null;
  } catch {
    return null;
  }
};
const connection = (o: Obj) => (o.connection ?? {}) as Obj;
const connected = (o: Obj): AuditRecord => ({
  action: 'account.connected',
  subject: (connection(o).wabaId as string | undefined) ?? null,
  detail: {
    mode: connection(o).mode ?? null,
    graph_origin: origin(connection(o).graphUrl),
    phone_number_id: connection(o).phoneNumberId ?? null,
  },
});
const campaign =
  (action: string): Rule =>
  (i, o) => ({ action, subject: String(i.id), detail: { name: (o.name as string | undefined) ?? null } });

export const AUDIT_RULES: Partial<Record<keyof Handlers, Rule>> = {
  'campaigns:start': campaign('campaign.started'),
  'campaigns:pause': campaign('campaign.paused'),
  'campaigns:resume': campaign('campaign.resumed'),
  'campaigns:cancel': campaign('campaign.cancelled'),
  'campaigns:resend': (i, o, look) => ({
    action: 'campaign.resent',
    subject: String(i.id),
    detail: { name: look.campaignName(String(i.id)), which: i.which, requeued: o.requeued },
  }),
  'account:connect': (_i, o) => connected(o),
  'account:use-sandbox': (_i, o) => connected(o),
  'account:disconnect': (i) => ({ action: 'account.disconnected', detail: { forget_secrets: !!i.forgetSecrets } }),
  'contacts:export': (i, o) => ({
    action: 'contacts.exported',
    subject: String(o.fileName),
    detail: { format: i.format, rows: o.rows, filtered: !!i.filter, selected: Array.isArray(i.ids) ? i.ids.length : null },
  }),
  'contacts:subject-export': (i, o) => ({
    action: 'contacts.subject_exported',
    subject: ((o.contact as Obj | undefined)?.phone as string | undefined) ?? (i.phone as string | undefined) ?? null,
    detail: {},
  }),
  'campaigns:export': (i, o, look) => ({
    action: 'campaigns.exported',
    subject: String(i.id),
    detail: { name: look.campaignName(String(i.id)), format: i.format, rows: o.rows, states: i.state ?? null },
  }),
  'audit:export': (i, o) => ({
    action: 'audit.exported',
    subject: String(o.fileName),
    detail: { format: i.format, rows: o.rows, actions: i.actions ?? null, from: i.from ?? null, to: i.to ?? null, text: i.text ?? null },
  }),
};

/** The handler table with each audited method recording its entry after it succeeded. */
export function withAudit(ctx: CoreContext, handlers: Handlers, look: AuditLookups): Handlers {
  const out = { ...handlers } as Record<string, (input: unknown, c: unknown) => unknown>;
  for (const [method, rule] of Object.entries(AUDIT_RULES) as [string, Rule][]) {
    const inner = out[method]!;
    out[method] = async (input, c) => {
      const result = await inner(input, c);
      try {
        const entry = rule((input ?? {}) as Obj, (result ?? {}) as Obj, look);
        if (entry) recordAudit(ctx, entry);
      } catch (e) {
        // The action happened; a trail that cannot be written is logged, never undoes it.
        ctx.log.error('audit entry not written', { method, error: String(e) });
      }
      return result;
    };
  }
  return out as unknown as Handlers;
}
