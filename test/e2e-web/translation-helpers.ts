import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { REPO } from '../support/harness';
import { CAMPAIGN_STATES, EXCLUSION_REASONS, PAUSE_REASONS, RECIPIENT_STATES } from '../../shared/contract/campaigns';
import { CONSENT_CATEGORIES } from '../../shared/contract/contacts';

/**
 * What the translation walker (translation-walker.spec.ts) checks, for any spec that shows a
 * screen in Hebrew or Chinese: visible text that holds an English word of the app's own English
 * catalogue, or a raw internal value. Text that is not the app's (translate="no", another `lang`,
 * code, values set in Unicode isolates) is left out — see visibleTexts.
 */

const LOCALES = path.join(REPO, 'renderer', 'i18n', 'locales');

export function catalogueValues(lang: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const f of fs.readdirSync(path.join(LOCALES, lang))) walk(JSON.parse(fs.readFileSync(path.join(LOCALES, lang, f), 'utf8')));
  return out;
}

export const wordsOf = (text: string) =>
  text
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .match(/[A-Za-z]{4,}/g) ?? [];

/** Names that stay as they are in every language (brands, formats, units). */
const ALLOWED = new Set([
  'whatsapp',
  'meta',
  'pacer',
  'sandbox',
  'business',
  'cloud',
  'graph',
  'https',
  'http',
  'json',
  'xlsx',
  'csv',
  'utf',
  'windows',
  'excel',
  'google',
  'sheets',
  'iana',
  'webhook',
  'webhooks',
  'token',
  'wamid',
  'gsm',
  'emoji',
  'unicode',
  'android',
  'iphone',
]);

export function englishWords(lang: string): Set<string> {
  // A word the translation itself uses (a brand, a term the translator kept) is not an untranslated one.
  const kept = new Set(
    catalogueValues(lang)
      .flatMap(wordsOf)
      .map((w) => w.toLowerCase()),
  );
  return new Set(
    catalogueValues('en')
      .flatMap(wordsOf)
      .map((w) => w.toLowerCase())
      .filter((w) => !ALLOWED.has(w) && !kept.has(w)),
  );
}

/** Values as the contract spells them, which must never reach the screen raw. */
export const INTERNAL = new Set<string>(
  [
    ...CAMPAIGN_STATES,
    ...RECIPIENT_STATES,
    ...EXCLUSION_REASONS,
    ...PAUSE_REASONS,
    ...CONSENT_CATEGORIES,
    'MARKETING',
    'UTILITY',
    'AUTHENTICATION',
    'APPROVED',
    'PENDING',
    'REJECTED',
    'PAUSED',
    'DISABLED',
    'opted_in',
    'opted_out',
    'no_rows',
    'all',
    'terminal_recipient',
    'suppress_contact',
    'retry_after_24h',
    'retry_soon',
    'fix_payload',
  ].filter((v) => v.length >= 3),
);

export interface Finding {
  page: string;
  text: string;
  hits: string[];
}

/** Visible text nodes of the page that are the app's own words (see the header comment). */
export async function visibleTexts(page: Page, lang: string): Promise<string[]> {
  return page.evaluate((uiLang) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.replace(/[\u2066-\u2068][^\u2069]*\u2069/g, ' ').trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      if (el.closest('script, style, noscript, code, kbd, samp, pre, .mono, [translate="no"], option:not(:checked)')) continue;
      const langEl = el.closest('[lang]');
      if (langEl && langEl !== document.documentElement && !langEl.getAttribute('lang')!.startsWith(uiLang.slice(0, 2))) continue;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.closest('details:not([open])') && !el.closest('summary')) continue;
      out.push(text);
    }
    // Visible form text too: placeholders and the chosen option of selects.
    for (const input of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[placeholder], textarea[placeholder]')) {
      if (input.getBoundingClientRect().width > 0 && !input.closest('[translate="no"]')) out.push(input.placeholder);
    }
    return out;
  }, lang);
}

export function check(texts: string[], english: Set<string>, where: string): Finding[] {
  const out: Finding[] = [];
  for (const text of new Set(texts)) {
    const hits = [
      ...wordsOf(text).filter((w) => english.has(w.toLowerCase())),
      ...(text.match(/[A-Za-z_]+/g) ?? []).filter((w) => INTERNAL.has(w)),
    ];
    if (hits.length) out.push({ page: where, text: text.slice(0, 140), hits: [...new Set(hits)] });
  }
  return out;
}
