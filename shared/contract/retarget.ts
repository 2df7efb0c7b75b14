/**
 * Retarget from results: the people of a campaign at one funnel stage, as a tag on their contacts
 * (a snapshot taken now), from which the app starts a new campaign (audience `tag:"…"`) or saves a
 * segment. The new campaign's plan applies every exclusion as usual (consent, opt-outs, erasures,
 * holds): a stage only chooses who is considered.
 *
 * Stages (campaigns/retarget.ts holds each one's rule; a new stage — e.g. `clicked` once clicks are
 * recorded — is one entry there, one here and its label in the catalogues):
 * - not_read: the message was accepted/sent/delivered but not read;
 * - read_no_reply: read, and no reply came back (inbound_replies linked to the row);
 * - replied: wrote back (text or a button) in answer to this campaign's message;
 * - failed_retryable: failed for a reason that is not the person's (rate limits, the account, the
 *   message itself, a network error) — not "not on WhatsApp" nor a marketing opt-out.
 */
import { z } from 'zod';
import { method } from './define';

export const RETARGET_STAGES = ['not_read', 'read_no_reply', 'replied', 'failed_retryable'] as const;
export type RetargetStage = (typeof RETARGET_STAGES)[number];

export interface RetargetStageCount {
  stage: RetargetStage;
  /** Contacts at that stage now (erased people are not counted: they are not contacts any more). */
  contacts: number;
}

export interface RetargetResult {
  tag: string;
  /** The audience expression naming that tag, for a new campaign. */
  audience: string;
  /** Contacts tagged (all of the stage's contacts, whether or not they had the tag already). */
  contacts: number;
}

/** Tag names a retarget may write: no double quote (audience expressions quote names with it). */
const retargetTag = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !s.includes('"'), 'a tag for retargeting cannot contain a double quote');

export const retargetMethods = {
  /** How many contacts are at each funnel stage of a campaign. */
  'campaigns:retarget-stages': method<RetargetStageCount[]>()(z.object({ id: z.string().min(1).max(64) }).strict()),
  /** Tags the contacts at `stage` with `tag` (created if new) and answers the audience naming it. */
  'campaigns:retarget': method<RetargetResult>()(
    z
      .object({
        id: z.string().min(1).max(64),
        stage: z.enum(RETARGET_STAGES),
        tag: retargetTag,
      })
      .strict(),
  ),
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RetargetEvents {}
export const retargetEventNames = [] as const;
