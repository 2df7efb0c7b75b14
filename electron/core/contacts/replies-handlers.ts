import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import type { repliesMethods } from '../../../shared/contract/replies';
import { campaignReplies, conversationOf, repliesOfRecipients } from './replies-store';

type RepliesMethod = keyof typeof repliesMethods;

/** Reading replies: per campaign, per recipient row, per contact (contacts/replies-store.ts). */
export function repliesHandlers(ctx: CoreContext): HandlerGroup<RepliesMethod> {
  const campaign = (id: string) => {
    if (!ctx.db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(id)) throw notFound(`No campaign ${id}`);
  };
  return {
    'campaigns:replies': ({ id, offset, limit }) => { campaign(id); return campaignReplies(ctx.db, id, offset, limit); },
    'campaigns:recipient-replies': ({ id, recipient_ids }) => { campaign(id); return repliesOfRecipients(ctx.db, id, recipient_ids); },
    'contacts:conversation': ({ id, limit }) => {
      if (!ctx.db.prepare('SELECT 1 FROM contacts WHERE id = ?').get(id)) throw notFound(`No contact ${id}`);
      return conversationOf(ctx.db, id, limit);
    },
  };
}
