import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import type { repliesMethods } from '../../../shared/contract/replies';
import type { contactAddMethods } from '../../../shared/contract/contact-add';
import { addContact } from './add-contact';
import type { ContactsService } from './service';
import { campaignExists, campaignReplies, conversationOf, repliesOfRecipients } from './replies-store';
import { contactExists } from './store/contacts';

type RepliesMethod = keyof typeof repliesMethods | keyof typeof contactAddMethods;

/** Reading replies: per campaign, per recipient row, per contact (contacts/replies-store.ts); adding a contact by hand (add-contact.ts). */
export function repliesHandlers(ctx: CoreContext, contacts: ContactsService): HandlerGroup<RepliesMethod> {
  const campaign = (id: string) => {
    if (!campaignExists(ctx.db, id)) throw notFound(`No campaign ${id}`);
  };
  return {
    'campaigns:replies': ({ id, offset, limit }) => {
      campaign(id);
      return campaignReplies(ctx.db, id, offset, limit);
    },
    'campaigns:recipient-replies': ({ id, recipient_ids }) => {
      campaign(id);
      return repliesOfRecipients(ctx.db, id, recipient_ids);
    },
    'contacts:add': (input) => addContact(ctx, contacts, input, ctx.host === 'cli' ? 'cli' : 'user'),
    'contacts:conversation': ({ id, limit }) => {
      if (!contactExists(ctx.db, id)) throw notFound(`No contact ${id}`);
      return conversationOf(ctx.db, id, limit);
    },
  };
}
