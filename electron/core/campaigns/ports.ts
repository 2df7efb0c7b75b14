/**
 * What campaigns need from the other domains, as small interfaces. The sender and planner depend
 * only on these; `ports-live.ts` binds them to the real contacts / whatsapp / webhooks modules, and
 * tests can bind them to fakes.
 */
import type { AudienceContact, ConsentState } from './plan';
import type { TemplateShape } from './params';
import type { ConsentEvidence } from '../../../shared/contract/consent-evidence';
import type { GraphApiError, SendResult, TemplateMessageBody } from '../whatsapp/client';
import type { SendEndpoint } from '../whatsapp/marketing-messages';

export type ConsentCategory = 'marketing' | 'utility';

/** Template categories map to consent categories: authentication counts as utility. */
export const consentCategoryOf = (templateCategory: string | null | undefined): ConsentCategory =>
  (templateCategory ?? '').toUpperCase() === 'MARKETING' ? 'marketing' : 'utility';

export interface ContactsPort {
  /** Contacts of an audience expression, with consent for `category` (opted-out ones included and marked). */
  resolveAudience(expr: string, category: ConsentCategory): Promise<AudienceContact[]> | AudienceContact[];
  /** Current consent of some contacts (re-checked right before sending). Missing id = erased. */
  consentOf(contactIds: readonly number[], category: ConsentCategory): Map<number, ConsentState>;
  /** Contacts held because their number changed hands (re-checked right before sending). */
  heldOf?(contactIds: readonly number[]): Set<number>;
  /**
   * What the send-time rule needs about some contacts, read in one go inside the claim's
   * transaction: consent for `category`, a number-changed hold, and the contact's current number.
   * Missing id = erased.
   */
  sendStateOf(contactIds: readonly number[], category: ConsentCategory): Map<number, ContactSendState>;
  /** 131050: the user stopped marketing messages from this business (`address`: E.164, or `bsuid:<user id>`). */
  recordOptOut(address: string, detail: { at: number; evidence: ConsentEvidence }): Promise<void> | void;
  /** One contact (for previews and test sends). */
  contact(id: number): AudienceContact | null;
  /** The contact's message history (drawer) and last_messaged_at; called inside the sender's write transaction. */
  recordMessages?(
    list: {
      contactId: number;
      campaignId: string;
      campaignName: string;
      template: string;
      status: string;
      error: string | null;
      at: number;
    }[],
  ): void;
}

export interface ContactSendState {
  consent: ConsentState;
  held: boolean;
  /** NULL for a contact known only by its WhatsApp user id. */
  phone: string | null;
  userId?: string | null;
}

export interface TemplateInfo extends TemplateShape {
  status: string;
  category: string;
  quality: string;
  /** When the stored status last changed (epoch ms; webhook times have whole seconds). */
  changedAt?: number;
}

export interface TemplatesPort {
  get(name: string, language: string): TemplateInfo | null;
}

export interface AccountPort {
  /** The portfolio's messaging limit string (TIER_2K …), or null when unknown. */
  messagingLimit(): string | null;
  defaultPhoneNumberId(): string | null;
  /** GREEN / YELLOW / RED / UNKNOWN. */
  numberQuality(phoneNumberId: string): string | null;
  /** Null when sending is possible; else why not (token expired, not connected…). */
  sendBlocker(): string | null;
  /**
   * An error a send got that says something about the account (token expired or invalid, account
   * restricted): recorded like the same answer to a management call, so the account page and
   * `sendBlocker()` agree with what the sender saw.
   */
  noteSendError?(e: GraphApiError): void;
  /** Per-request timeout of sends (ms of the core's clock; default 30 s). */
  setSendTimeout?(ms: number): void;
  /**
   * Sends one template message to `/messages` or, for a MARKETING template, `/marketing_messages`
   * (whatsapp/marketing-messages.ts); throws GraphApiError (from whatsapp/client).
   */
  send(phoneNumberId: string, body: TemplateMessageBody, signal?: AbortSignal, endpoint?: SendEndpoint): Promise<SendResult>;
  /** The user's "strict" choice for the MM API: refuse rather than fall back when the portfolio has not accepted the terms. */
  marketingStrict?(): boolean;
  /** What a /marketing_messages send taught about the portfolio's MM API terms (accepted: a strict send was taken). */
  noteMarketingTerms?(accepted: boolean, detail: string): void;
}

export interface CampaignPorts {
  contacts: ContactsPort;
  templates: TemplatesPort;
  account: AccountPort;
}
