/**
 * Meta's values → the contract's closed vocabularies. Meta's docs disagree with themselves (NA vs
 * UNKNOWN, integer vs TIER_* strings, en-US vs en_US): everything is normalised here, once, and an
 * unknown value becomes 'UNKNOWN' (treated conservatively), never passed through.
 */
import {
  MESSAGING_LIMITS,
  PHONE_STATUSES,
  QUALITY_RATINGS,
  TEMPLATE_CATEGORIES,
  TEMPLATE_QUALITIES,
  TEMPLATE_STATUSES,
  THROUGHPUT_LEVELS,
  type MessagingLimit,
  type ParameterFormat,
  type PhoneStatus,
  type QualityRating,
  type TemplateCategory,
  type TemplateComponent,
  type TemplateQuality,
  type TemplateStatus,
  type ThroughputLevel,
} from '../../../shared/contract/whatsapp';

const pick = <T extends string>(list: readonly T[], value: unknown, fallback: T): T => {
  const v = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return (list as readonly string[]).includes(v) ? (v as T) : fallback;
};

/** Unique recipients per moving 24 h for each limit; null = no fixed number (unlimited, untiered, unknown). */
export const LIMIT_VALUES: Record<MessagingLimit, number | null> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: null,
  UNTIERED: null,
  UNKNOWN: null,
};

/** What a scheduler should assume when the limit is not a number it can trust: the new-portfolio 250. */
export const CONSERVATIVE_LIMIT = 250;

/** A limit for pacing: the tier's number, Infinity for unlimited, CONSERVATIVE_LIMIT for unknown/untiered. */
export function limitForPacing(limit: MessagingLimit): number {
  if (limit === 'TIER_UNLIMITED') return Number.POSITIVE_INFINITY;
  return LIMIT_VALUES[limit] ?? CONSERVATIVE_LIMIT;
}

const LIMIT_RANK: Record<MessagingLimit, number> = {
  UNKNOWN: 0,
  UNTIERED: 1,
  TIER_50: 2,
  TIER_250: 3,
  TIER_1K: 4,
  TIER_2K: 5,
  TIER_10K: 6,
  TIER_100K: 7,
  TIER_UNLIMITED: 8,
};

/** The portfolio's limit is shared by all its numbers and WABAs: the highest any of them reports. */
export function bestLimit(limits: readonly MessagingLimit[]): MessagingLimit {
  return limits.reduce<MessagingLimit>((best, l) => (LIMIT_RANK[l] > LIMIT_RANK[best] ? l : best), 'UNKNOWN');
}

/**
 * Accepts TIER_* strings (either field), and the integers of business_capability_update
 * (250 | 2000 | 10000 | 100000 | -1 = unlimited). TIER_NOT_SET and anything else → UNKNOWN.
 */
export function normalizeLimit(value: unknown): MessagingLimit {
  if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value.trim()))) {
    const n = Number(value);
    if (n === -1) return 'TIER_UNLIMITED';
    const hit = (Object.entries(LIMIT_VALUES) as [MessagingLimit, number | null][]).find(([, v]) => v === n);
    return hit ? hit[0] : 'UNKNOWN';
  }
  return pick(MESSAGING_LIMITS, value, 'UNKNOWN');
}

export const normalizeQuality = (v: unknown): QualityRating => pick(QUALITY_RATINGS, v, 'UNKNOWN'); // NA → UNKNOWN
export const normalizePhoneStatus = (v: unknown): PhoneStatus => pick(PHONE_STATUSES, v, 'UNKNOWN');
export const normalizeThroughput = (v: unknown): ThroughputLevel => pick(THROUGHPUT_LEVELS, v, 'UNKNOWN');
export const normalizeTemplateStatus = (v: unknown): TemplateStatus => pick(TEMPLATE_STATUSES, v, 'UNKNOWN');
export const normalizeTemplateCategory = (v: unknown): TemplateCategory => pick(TEMPLATE_CATEGORIES, v, 'UNKNOWN');
export const normalizeTemplateQuality = (v: unknown): TemplateQuality => pick(TEMPLATE_QUALITIES, v, 'UNKNOWN');
export const normalizeParameterFormat = (v: unknown): ParameterFormat =>
  typeof v === 'string' && v.toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL';

/** Webhooks write en-US, the API en_US. */
export const normalizeLanguage = (code: string): string => code.trim().replace(/-/g, '_');

/** "+1 555-010-0100" → "+15550100100". */
export function displayToE164(display: string | undefined | null): string {
  const digits = (display ?? '').replace(/[^\d]/g, '');
  return digits ? `+${digits}` : '';
}

/** rejected_reason "NONE" (and empty) means no reason. */
export const normalizeRejectedReason = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() && v.trim().toUpperCase() !== 'NONE' ? v.trim() : null;

/** Variables in order of first appearance across header text, body text and button URLs. */
export function templateVariables(components: readonly TemplateComponent[]): string[] {
  const out: string[] = [];
  const scan = (text: unknown) => {
    if (typeof text !== 'string') return;
    for (const m of text.matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi)) if (!out.includes(m[1]!)) out.push(m[1]!);
  };
  for (const c of components) {
    const type = String(c.type ?? '').toUpperCase();
    if (type === 'HEADER' || type === 'BODY') scan(c.text);
    if (type === 'BUTTONS') for (const b of c.buttons ?? []) scan(b.url);
  }
  return out;
}

export function headerFormat(components: readonly TemplateComponent[]): string | null {
  const header = components.find((c) => String(c.type ?? '').toUpperCase() === 'HEADER');
  return header ? String(header.format ?? 'TEXT').toUpperCase() : null;
}
