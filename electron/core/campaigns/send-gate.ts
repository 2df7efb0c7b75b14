/**
 * The one rule a ledger row must pass to be sent. The sender applies it at the moment of sending —
 * inside the claim's write transaction, against the state read in that transaction — whatever the
 * row waited on before (the 24-hour budget, the send rate, a retry, a send window). So an opt-out
 * from any channel, an erasure, a number-changed hold or an edited number that was committed before
 * the claim always wins over the row's earlier snapshot, and the row ends `skipped` with the reason.
 *
 * The same reasons are shown in the recipients table and the report (renderer `skip.<reason>`).
 */
import type { ContactSendState } from './ports';

export const SEND_SKIP_REASONS = [
  'erased',
  'phone_changed',
  'opted_out',
  'held_number_changed',
  'no_consent',
  'frequency_cap',
  'ttl_expired',
  // Another row of the same campaign already reached this person (two contacts merged: one-per-person.ts).
  'same_person',
] as const;
export type SendSkipReason = (typeof SEND_SKIP_REASONS)[number];

export interface GateRow {
  contact_id: number | null;
  phone: string | null;
  /** Set (phone NULL) for a row addressed by the contact's WhatsApp user id. */
  user_id?: string | null;
}

/**
 * Why a row may not be sent now (null: it may). `state` is the contact's current send state
 * (undefined: the contact no longer exists, i.e. erased); `marketing`: the template's CURRENT
 * category is MARKETING, which needs an explicit opt-in. `timing`: the claim's time and the
 * campaign's send-by time (its start + its `ttl` option, shared/message-ttl.ts), if it has one.
 */
export function skipReasonFor(
  row: GateRow,
  state: ContactSendState | undefined,
  marketing: boolean,
  timing: { now: number; sendBy: number | null } = { now: 0, sendBy: null },
): SendSkipReason | null {
  if (row.contact_id === null || (!row.phone && !row.user_id) || !state) return 'erased';
  // The row carries the number it was planned for: a contact whose number was edited since must
  // not be messaged at the old number (it may belong to someone else now). A row addressed by
  // user id follows the user id instead (a phone learnt since does not change who it reaches;
  // a new user id — Meta issues one with a new number — does).
  if (row.phone ? state.phone !== row.phone : state.userId !== row.user_id) return 'phone_changed';
  if (state.consent === 'opted_out') return 'opted_out';
  if (state.held) return 'held_number_changed';
  if (marketing && state.consent !== 'opted_in') return 'no_consent';
  // A marketing message past the campaign's TTL (a flash offer) is not sent late. Only marketing:
  // the option is a marketing one, and a template recategorised to utility is sent as utility.
  if (marketing && timing.sendBy !== null && timing.now > timing.sendBy) return 'ttl_expired';
  return null;
}
