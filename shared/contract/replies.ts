/**
 * Replies you can read: what recipients wrote back to a campaign (text, or a tapped button's label
 * and payload) and a contact's conversation — the messages Pacer sent them beside their answers.
 * Stored by the webhook handler webhooks/replies.ts (table inbound_replies), linked to the campaign
 * message a reply answers: `context` when WhatsApp names that message, `window` when it came within
 * 72 hours after it and nobody else messaged them in between.
 */
import { z } from 'zod';
import { method } from './define';

export type ReplyLink = 'context' | 'window';

export interface CampaignReply {
  id: number;
  recipient_id: number;
  contact_id: number | null;
  /** The contact's name ('' when it has none; null when the number is no longer a contact). */
  name: string | null;
  /** E.164, or the WhatsApp user id the message was sent to (a contact without a phone); null after the person was erased. */
  phone: string | null;
  at: number;
  /** Meta's message type: 'text', 'button', 'interactive', 'image', … (the UI names the common ones). */
  kind: string;
  /** The text written, or the tapped button's label. */
  text: string | null;
  /** A tapped button's payload (quick reply) or reply id (interactive). */
  payload: string | null;
  link: ReplyLink;
}

export interface ConversationItem {
  /** 'out': a campaign message Pacer sent; 'in': what the person wrote. */
  direction: 'out' | 'in';
  at: number;
  campaign_id: string | null;
  campaign_name: string | null;
  template: string | null;
  /** out: the message's current state (accepted, sent, delivered, read, failed, uncertain). */
  state: string | null;
  error_code: number | null;
  kind: string | null;
  text: string | null;
  payload: string | null;
}

export const repliesMethods = {
  /** A campaign's replies, newest first (the "Replied" filter of the recipient table). */
  /** total: replies (messages); people: recipients who replied (the funnel's "replied"). */
  'campaigns:replies': method<{ total: number; people: number; replies: CampaignReply[] }>()(
    z
      .object({
        id: z.string().min(1).max(64),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  /** The replies of some recipient rows (a page of the recipient table), oldest first per row. */
  'campaigns:recipient-replies': method<CampaignReply[]>()(
    z
      .object({
        id: z.string().min(1).max(64),
        recipient_ids: z.array(z.number().int()).max(1000),
      })
      .strict(),
  ),
  /** A contact's conversation: campaign messages sent and replies received, newest first. */
  'contacts:conversation': method<ConversationItem[]>()(
    z
      .object({
        id: z.number().int(),
        limit: z.number().int().min(1).max(500).default(200),
      })
      .strict(),
  ),
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RepliesEvents {}
export const repliesEventNames = [] as const;
