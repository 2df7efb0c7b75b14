/**
 * Keeps what people write back (contacts/replies-store.ts): every inbound message a person sent
 * (not a `system` notice), with its text or the tapped button's label and payload, linked to the
 * campaign message it answers — also from a sender known only by their business-scoped user id
 * (no phone in the webhook). Registered on the webhook router beside the window and consent
 * handlers; idempotent per message id, so a redelivered webhook stores nothing twice.
 */
import type { Db } from '../db/connection';
import { recordReply, repliesTableExists } from '../contacts/replies-store';
import type { MessageEvent } from './events';
import type { WebhookRouter } from './router';

export function registerReplies(db: Db, router: WebhookRouter): () => void {
  // The table comes with migration 0015; a webhook-only database (the relay's) has none.
  let ready: boolean | null = null;
  const tableReady = () => (ready ??= repliesTableExists(db));
  return router.on(
    'message',
    (ev: MessageEvent) => {
      // A sender whose phone Meta withheld (a username) is known by the business-scoped user id
      // alone: stored by it (migration 0020) and linked to a send by `recipient` or to their contact.
      if (ev.kind === 'system' || (!ev.from && !ev.userId) || !tableReady()) return;
      recordReply(db, {
        messageId: ev.id,
        waId: ev.from,
        userId: ev.userId,
        at: ev.timestamp,
        kind: ev.kind,
        text: ev.text ?? ev.button?.text ?? ev.interactive?.title ?? null,
        payload: ev.button?.payload ?? ev.interactive?.id ?? null,
        contextId: ev.context?.id ?? null,
      });
    },
    { name: 'webhooks:replies' },
  );
}
