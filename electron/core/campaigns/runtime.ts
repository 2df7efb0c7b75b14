/**
 * A campaign as the sender sees it: the stored definition plus what is derived from it (compiled
 * parameter mapping, send rules, defaults). Built from a `campaigns` row.
 */
import { phoneHashKey, type CampaignRow } from './store/campaigns';
import crypto from 'node:crypto';
import type { Db } from '../db/connection';
import type { CampaignOptions, CampaignSchedule, CampaignState } from '../../../shared/contract/campaigns';
import { compileMapping, type CompiledMapping } from './params';
import { parseWindow, type SendRules } from './send-window';
import type { TemplateInfo } from './ports';
import { consentCategoryOf, type ConsentCategory } from './ports';
import { DEFAULT_MPS } from './throttle';
import { sendByOf } from '../../../shared/message-ttl';

export type { CampaignRow };

export const DEFAULTS = {
  margin: 0.1,
  retry131049: 2,
  watchdog: { failure_rate: 0.2, window: 50 },
  rate: DEFAULT_MPS,
};

export interface CampaignRuntime {
  id: string;
  name: string;
  state: CampaignState;
  templateName: string;
  templateLanguage: string;
  phoneNumberId: string | null;
  params: Record<string, string>;
  headerMedia: { link?: string; id?: string } | null;
  schedule: CampaignSchedule;
  options: CampaignOptions;
  rules: SendRules | null;
  rate: number;
  margin: number;
  retry131049: number;
  watchdog: { failure_rate: number; window: number };
  /** Set from the template at load time. */
  template: TemplateInfo | null;
  compiled: CompiledMapping | null;
  category: string | null;
  consentCategory: ConsentCategory;
  /** The campaign's start + its `ttl` option (ms), or null: rows not sent by then are skipped (send-gate.ts). */
  sendBy: number | null;
}

export function rulesOf(schedule: CampaignSchedule): SendRules | null {
  const window = schedule.window ? parseWindow(schedule.window) : null;
  const quiet = schedule.quiet ? parseWindow(schedule.quiet) : null;
  return window || quiet ? { window, quiet } : null;
}

export function runtimeOf(row: CampaignRow, template: TemplateInfo | null): CampaignRuntime {
  const options = JSON.parse(row.options) as CampaignOptions;
  const schedule = JSON.parse(row.schedule) as CampaignSchedule;
  const params = JSON.parse(row.params) as Record<string, string>;
  let compiled: CompiledMapping | null = null;
  if (template) {
    try {
      compiled = compileMapping(template, params);
    } catch {
      compiled = null;
    }
  }
  const category = template?.category ?? row.template_category;
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    templateName: row.template_name,
    templateLanguage: row.template_language,
    phoneNumberId: row.phone_number_id,
    params,
    headerMedia: row.header_media ? (JSON.parse(row.header_media) as { link?: string; id?: string }) : null,
    schedule,
    options,
    rules: rulesOf(schedule),
    rate: options.rate ?? DEFAULTS.rate,
    margin: options.margin ?? DEFAULTS.margin,
    retry131049: options.retry_131049 ?? DEFAULTS.retry131049,
    watchdog: options.watchdog ?? DEFAULTS.watchdog,
    template,
    compiled,
    category,
    consentCategory: consentCategoryOf(category),
    sendBy: sendByOf(row.started_at, options.ttl),
  };
}

/**
 * A keyed hash of a phone number: identifies a recipient in the messaging log and the ledger's
 * uniqueness without storing the number (erasure keeps the hash, not the phone). The key is random
 * per data folder, so the hash cannot be matched against a list of numbers elsewhere.
 */
export function phoneHasher(db: Db): (e164: string) => string {
  const key = Buffer.from(
    phoneHashKey(db, () => crypto.randomBytes(32).toString('hex')),
    'hex',
  );
  return (e164) => crypto.createHmac('sha256', key).update(e164).digest('base64url').slice(0, 32);
}
