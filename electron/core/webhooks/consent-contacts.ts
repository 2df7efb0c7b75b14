import type { UserIdConsent } from '../contacts/user-ids-store';
import type { ConsentChange, ConsentSink } from './builtin';
import type { ConsentEvidence } from '../../../shared/contract/consent-evidence';

const DETAIL: Record<ConsentChange['source'], (c: ConsentChange) => string> = {
  keyword: () => 'keyword',
  button: () => 'opt-out button',
  meta_preference: (c) => `WhatsApp preference ${c.status === 'opted_out' ? 'stop' : 'resume'}`,
};

/** The evidence with when the person acted and the webhook event it came in (for audits). */
function withEvent(c: ConsentChange): ConsentEvidence {
  return { ...c.evidence, params: { ...c.evidence.params, at: c.at, ref: c.eventKey } };
}

/** What the sink needs of the contacts domain: its consent-recording function (ContactsService's). */
export interface ConsentLedger {
  recordConsentByPhone(input: {
    phone: string;
    category: ConsentChange['category'];
    state: ConsentChange['status'];
    source: ConsentChange['source'];
    sourceDetail: string;
    actor: ConsentChange['actor'];
    evidence: ConsentEvidence;
    at: number;
  }): unknown;
}

/** Opt-outs from webhooks go to the contacts' append-only consent ledger, with their evidence. */
export function contactsConsentSink(contacts: ConsentLedger, byUserId?: (c: UserIdConsent) => void): ConsentSink {
  return {
    record(c) {
      if (!c.phone) {
        // The webhook withheld the phone (a username): the business-scoped id says who it is
        // (contacts/user-ids.ts). Thrown when not wired: the inbox row is retried, never dropped.
        if (!c.userId || !byUserId)
          throw new Error(`consent event ${c.eventKey} has no phone${c.userId ? ' and no BSUID ledger is wired' : ' and no user id'}`);
        byUserId({
          userId: c.userId,
          parentUserId: c.parentUserId ?? null,
          username: c.username ?? null,
          profileName: c.profileName ?? null,
          category: c.category,
          state: c.status,
          source: c.source,
          sourceDetail: DETAIL[c.source](c),
          evidence: withEvent(c),
          at: c.at,
          eventKey: c.eventKey,
        });
        return;
      }
      contacts.recordConsentByPhone({
        phone: c.phone,
        category: c.category,
        state: c.status,
        source: c.source,
        sourceDetail: DETAIL[c.source](c),
        actor: c.actor,
        evidence: withEvent(c),
        // The person's action time, not ours: a late-processed older event must not win.
        at: c.at,
      });
    },
  };
}
