/**
 * Keeps contacts' business-scoped user ids current from every webhook that carries one
 * (contacts/user-ids-store.ts): a message, a status or a preference with BOTH a phone and a BSUID links
 * them; `user_changed_user_id` moves the contact to its new BSUID; `user_changed_number` with a
 * new BSUID records it (the number-changed hold, builtin.ts, still holds the contact).
 * A person who writes WITHOUT a phone (a username, no recent interaction) becomes a contact known
 * only by BSUID (phone NULL, migration 0017), named by their profile name; a later webhook that
 * carries both links the phone to that contact, or merges it into the phone's contact.
 */
import type { Db } from '../db/connection';
import {
  applyWaitingUserIdConsent,
  changeUserId,
  ensureUserIdContact,
  hasPhonelessContacts,
  hasUserIdColumns,
  linkUserId,
} from '../contacts/user-ids-store';
import type { MessageEvent, StatusEvent, UserPreferenceEvent } from './events';
import type { WebhookRouter } from './router';

export function registerUserIds(db: Db, router: WebhookRouter): (() => void)[] {
  // The contacts' BSUID columns (migration 0014) exist in every core; a webhook-only database has none.
  let ready: boolean | null = null;
  const contactsReady = () => (ready ??= hasUserIdColumns(db));
  // Consent that waited for a BSUID before migration 0017 made its person a contact: applied now.
  if (contactsReady() && hasPhonelessContacts(db)) applyWaitingUserIdConsent(db);
  const onMessage = router.on(
    'message',
    (ev: MessageEvent) => {
      if (!contactsReady()) return;
      const sys = ev.kind === 'system' ? ev.system : null;
      if (sys?.type === 'user_changed_user_id' && sys.newUserId) {
        changeUserId(db, {
          previousUserId: sys.previousUserId ?? ev.userId,
          phone: ev.from,
          newUserId: sys.newUserId,
          newParentUserId: sys.newParentUserId,
          at: ev.timestamp,
        });
        return;
      }
      if (sys?.type === 'user_changed_number') {
        // The old number's BSUID is not the new one's (Meta issues a new BSUID with a new number).
        if (sys.newUserId)
          changeUserId(db, {
            previousUserId: ev.userId,
            phone: ev.from,
            newUserId: sys.newUserId,
            newParentUserId: sys.newParentUserId,
            at: ev.timestamp,
          });
        return;
      }
      if (ev.userId && !ev.from && ev.kind !== 'system')
        ensureUserIdContact(db, {
          userId: ev.userId,
          parentUserId: ev.parentUserId,
          username: ev.username,
          profileName: ev.profileName,
          at: ev.timestamp,
        });
      else if (ev.userId)
        linkUserId(db, { phone: ev.from, userId: ev.userId, parentUserId: ev.parentUserId, username: ev.username, at: ev.timestamp });
    },
    { name: 'contacts:user-id-message' },
  );
  const onStatus = router.on(
    'status',
    (ev: StatusEvent) => {
      if (!contactsReady() || !ev.recipientUserId || !ev.recipientId) return;
      linkUserId(db, {
        phone: ev.recipientId,
        userId: ev.recipientUserId,
        parentUserId: ev.recipientParentUserId ?? null,
        username: ev.username ?? null,
        at: ev.timestamp,
      });
    },
    { name: 'contacts:user-id-status' },
  );
  const onPref = router.on(
    'user_preferences',
    (ev: UserPreferenceEvent) => {
      if (!contactsReady() || !ev.userId || !ev.waId) return;
      linkUserId(db, { phone: ev.waId, userId: ev.userId, parentUserId: ev.parentUserId, username: null, at: ev.timestamp });
    },
    { name: 'contacts:user-id-preference' },
  );
  return [onMessage, onStatus, onPref];
}
