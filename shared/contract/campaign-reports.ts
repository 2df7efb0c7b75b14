/**
 * Campaign reports for the UI: the funnel over time, an overview across campaigns, and the
 * per-recipient export as a file the UI saves. Read-only views over the send ledger
 * (campaign_recipients), the webhook status merge (pricing), the 24-hour service windows (replies)
 * and the consent history (opt-outs). Keys are snake_case like the rest of the campaigns domain.
 */
import { z } from 'zod';
import { method } from './define';
import { RECIPIENT_STATES } from './campaigns';
import { isTimeZone } from '../campaigns/zones';

/** Cumulative counts at the end of a bucket (a row counts once it reached that stage). */
export interface TimelinePoint {
  /** End of the bucket (ms). */
  at: number;
  accepted: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
}

export interface CampaignTimeline {
  /** Bucket width (ms): chosen so the campaign's span has at most `buckets` points. */
  bucket_ms: number;
  /** First and last activity (ms), null before anything was sent. */
  from: number | null;
  to: number | null;
  points: TimelinePoint[];
  /** Recipients who wrote back within 72 h of this campaign's message (their last inbound message). */
  replied: number;
  /** Marketing opt-outs (STOP keyword, opt-out button, WhatsApp preference, 131050) within 72 h of this campaign's message. */
  opt_outs: number;
}

export interface RatePair {
  /** Delivered (or read) over accepted-or-later (failed included); null with nothing sent. */
  delivery_rate: number | null;
  /** Read over delivered. */
  read_rate: number | null;
}

export interface TemplateOverview extends RatePair {
  name: string;
  language: string;
  campaigns: number;
  /** Accepted by Meta or later (the denominators' base). */
  reached: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface DayOverview extends RatePair {
  /** Calendar day, YYYY-MM-DD, of the message's first send in the overview's zone (its input `tz`; UTC when none). */
  day: string;
  reached: number;
  delivered: number;
  read: number;
}

export interface CampaignCost {
  /** null when no billable message could be priced (empty rate card). */
  currency: string | null;
  amount: number | null;
  /** Billable messages (delivered, and billable per Meta's pricing when known). */
  billable: number;
  /** Billable messages with no rate for their category × country. */
  unpriced: number;
}

export interface CampaignOverviewRow extends RatePair {
  id: string;
  name: string;
  state: string;
  template: string;
  total: number;
  delivered: number;
  read: number;
  replied: number;
  opt_outs: number;
  cost: CampaignCost;
  started_at: number | null;
}

export interface CampaignsOverview {
  campaigns: CampaignOverviewRow[];
  templates: TemplateOverview[];
  days: DayOverview[];
  /** Cost so far, priced from Meta's pricing categories with the rate card (an estimate of the invoice). */
  cost: CampaignCost;
  opt_outs: number;
}

export interface CampaignExportFile {
  fileName: string;
  mime: string;
  /** xlsx comes base64-encoded; csv and json as text. */
  encoding: 'utf8' | 'base64';
  content: string;
  rows: number;
}

/** Quick-reply taps on this campaign's messages, per button (a survey's results). */
export interface ButtonTally {
  /** The button's label as the recipient saw it. */
  text: string;
  /** The payload / reply id Meta sent with the tap (null when none). */
  payload: string | null;
  /** Taps (one per inbound message; a repeated webhook counts once). */
  count: number;
  /** Distinct recipients who tapped it. */
  recipients: number;
}

export const campaignReportsMethods = {
  /** The funnel over time for one campaign (cumulative per bucket), plus replies and opt-outs. */
  'campaigns:timeline': method<CampaignTimeline>()(
    z
      .object({
        id: z.string().min(1).max(64),
        buckets: z.number().int().min(2).max(500).default(60),
      })
      .strict(),
  ),
  /** Across campaigns: delivery and read rates per template and per day, cost so far, opt-outs per campaign. */
  'campaigns:overview': method<CampaignsOverview>()(
    z
      .object({
        days: z.number().int().min(1).max(366).default(30),
        /** The zone whose calendar days the per-day figures follow (IANA id; the app sends the computer's). UTC when left out. */
        tz: z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as Asia/Taipei').optional(),
      })
      .strict(),
  ),
  /** Quick-reply button taps in reply to this campaign's messages, most tapped first. */
  'campaigns:buttons': method<ButtonTally[]>()(z.object({ id: z.string().min(1).max(64) }).strict()),
  /** One row per recipient as a file the UI offers to save (the CLI writes files with campaigns:report). */
  'campaigns:export': method<CampaignExportFile>()(
    z
      .object({
        id: z.string().min(1).max(64),
        format: z.enum(['csv', 'json', 'xlsx']),
        state: z.array(z.enum(RECIPIENT_STATES)).min(1).optional(),
        search: z.string().max(40).optional(),
      })
      .strict(),
  ),
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CampaignReportsEvents {}
export const campaignReportsEventNames = [] as const;
