import { ContactsService } from '../contacts/service';
import type { CoreContext } from '../context';
import { recordConsentByUserId } from '../contacts/user-ids';
import type { ConsentChange, ConsentSink } from './builtin';

const DETAIL: Record<ConsentChange['source'], (c: ConsentChange) => string> = {
  keyword: () => 'keyword',
  button: () => 'opt-out button',
  meta_preference: (c) => `WhatsApp preference ${c.status === 'opted_out' ? 'stop' : 'resume'}`,
};

/** Opt-outs from webhooks go to the contacts' append-only consent ledger, with their evidence. */
export function contactsConsentSink(ctx: CoreContext): ConsentSink {
  let contacts: ContactsService | null = null;
  return {
    record(c) {
      if (!c.phone) {
        // The webhook withheld the phone (a username): the business-scoped id says who it is.
        if (!c.userId) throw new Error(`consent event ${c.eventKey} names no phone and no user id`);
        recordConsentByUserId(ctx.db, {
          userId: c.userId, parentUserId: c.parentUserId ?? null, username: c.username ?? null, profileName: c.profileName ?? null,
          category: c.category, state: c.status, source: c.source, sourceDetail: DETAIL[c.source](c),
          evidence: `${c.evidence} — ${new Date(c.at).toISOString()} [${c.eventKey}]`, at: c.at, eventKey: c.eventKey,
        });
        ctx.emit('contacts:changed', { reason: 'consent' });
        return;
      }
      contacts ??= new ContactsService(ctx);
      contacts.recordConsentByPhone({
        phone: c.phone,
        category: c.category,
        state: c.status,
        source: c.source,
        sourceDetail: DETAIL[c.source](c),
        actor: c.actor,
        evidence: `${c.evidence} — ${new Date(c.at).toISOString()} [${c.eventKey}]`,
        // The person's action time, not ours: a late-processed older event must not win.
        at: c.at,
      });
    },
  };
}
