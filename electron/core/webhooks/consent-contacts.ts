import type { ConsentChange, ConsentSink } from './builtin';

const DETAIL: Record<ConsentChange['source'], (c: ConsentChange) => string> = {
  keyword: () => 'keyword',
  button: () => 'opt-out button',
  meta_preference: (c) => `WhatsApp preference ${c.status === 'opted_out' ? 'stop' : 'resume'}`,
};

/** What the sink needs of the contacts domain: its consent-recording function (ContactsService's). */
export interface ConsentLedger {
  recordConsentByPhone(input: {
    phone: string; category: ConsentChange['category']; state: ConsentChange['status']; source: ConsentChange['source'];
    sourceDetail: string; actor: ConsentChange['actor']; evidence: string; at: number;
  }): unknown;
}

/** Opt-outs from webhooks go to the contacts' append-only consent ledger, with their evidence. */
export function contactsConsentSink(contacts: ConsentLedger): ConsentSink {
  return {
    record(c) {
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
