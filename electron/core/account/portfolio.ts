/**
 * The portfolio as Meta reports it — the connected WABA, the business's other WABAs, their numbers
 * and the messaging limits — read from the Graph API and saved through the account store.
 * AccountService.refresh and connect use these; they hold no state.
 */
import { GraphApiError, limitFieldFor, type GraphClient, type GraphPhoneNumber, type GraphWaba } from '../whatsapp/client';
import { displayToE164, normalizeLimit, normalizePhoneStatus, normalizeQuality, normalizeThroughput } from '../whatsapp/normalize';
import type { MessagingLimit } from '../../../shared/contract/whatsapp';
import type { AccountStore, NumberRow } from './store';

export interface PortfolioRead {
  /** The connected WABA first, then the business's other WABAs this token can read. */
  wabaIds: string[];
  businessId: string | null;
  /** The business-level limit (newer API versions), or UNKNOWN. */
  businessLimit: MessagingLimit;
  fetched: { waba: GraphWaba; numbers: GraphPhoneNumber[] }[];
}

/** Reads the portfolio around the connected WABA (Graph calls only; nothing is stored). */
export async function readPortfolio(client: GraphClient, wabaId: string): Promise<PortfolioRead> {
  const primary = await client.getWaba(wabaId);
  const businessId = primary.owner_business_info?.id ?? null;
  let wabaIds = [wabaId];
  let businessLimit: MessagingLimit = 'UNKNOWN';
  if (businessId) {
    const owned = await optional(() => client.listOwnedWabas(businessId));
    if (owned) wabaIds = [...new Set([wabaId, ...owned])];
    if (limitFieldFor(client.apiVersion) === 'whatsapp_business_manager_messaging_limit')
      businessLimit = normalizeLimit(await optional(() => client.getBusinessMessagingLimit(businessId)));
  }
  const fetched: PortfolioRead['fetched'] = [];
  for (const id of wabaIds) {
    const waba = id === wabaId ? primary : await client.getWaba(id);
    fetched.push({ waba, numbers: await client.listPhoneNumbers(id) });
  }
  return { wabaIds, businessId, businessLimit, fetched };
}

/** Upserts a WABA and its numbers; returns the limits they report. */
export function saveWaba(
  store: AccountStore,
  waba: GraphWaba,
  numbers: GraphPhoneNumber[],
  now: number,
  businessId: string | null = null,
): MessagingLimit[] {
  const wabaLimit = normalizeLimit(waba.whatsapp_business_manager_messaging_limit);
  store.upsertWaba({
    id: waba.id,
    name: waba.name ?? null,
    currency: waba.currency ?? null,
    timezone_id: waba.timezone_id ?? null,
    business_id: waba.owner_business_info?.id ?? businessId,
    messaging_limit: wabaLimit,
    updated_at: now,
  });
  const rows = numbers.map((n): NumberRow => ({
    id: n.id,
    waba_id: waba.id,
    display_phone_number: displayToE164(n.display_phone_number),
    verified_name: n.verified_name ?? '',
    quality_rating: normalizeQuality(n.quality_rating),
    messaging_limit: normalizeLimit(n.whatsapp_business_manager_messaging_limit ?? n.messaging_limit_tier),
    throughput: normalizeThroughput(n.throughput?.level),
    status: normalizePhoneStatus(n.status),
    name_status: n.name_status ?? null,
    account_mode: n.account_mode ?? null,
    updated_at: now,
  }));
  store.replaceNumbers(waba.id, rows, now);
  return [wabaLimit, ...rows.map((r) => r.messaging_limit)];
}

async function optional<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    // Not every token may read the business (portfolio) object; the WABA-level data still stands.
    if (
      e instanceof GraphApiError &&
      (e.code === 100 || e.code === 10 || e.code === 803 || (e.code !== null && e.code >= 200 && e.code <= 299))
    )
      return null;
    throw e;
  }
}
