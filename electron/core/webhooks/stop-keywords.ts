/**
 * Recognising opt-outs in inbound messages. Pure functions, no I/O.
 *
 * A free-text reply is an opt-out when the WHOLE message, normalised, equals one of the keywords
 * ("stop", "STOP!", "Ｓｔｏｐ", " הסר ") — never a substring, so "don't stop sending me deals" or
 * "停止了嗎?" are not opt-outs. A quick-reply tap is an opt-out when its payload or its label
 * matches one of the opt-out button names.
 */

export interface OptOutRules {
  keywords: readonly string[];
  buttons: readonly string[];
}

export const DEFAULT_STOP_KEYWORDS: readonly string[] = [
  // English
  'stop',
  'stop all',
  'unsubscribe',
  'opt out',
  'cancel',
  'end',
  'quit',
  'remove me',
  'stop promotions',
  // Hebrew: remove, removal, stop, stop it, remove me, cease
  'הסר',
  'הסרה',
  'עצור',
  'הפסק',
  'הסר אותי',
  'הסירו אותי',
  'די',
  // Chinese (Traditional first, the app's locale; Simplified too)
  '退訂',
  '取消訂閱',
  '停止',
  '退订',
  '取消订阅',
  '停止訂閱',
  '停止订阅',
  '取消',
];

export const DEFAULT_OPT_OUT_BUTTONS: readonly string[] = [
  'stop promotions',
  'stop promo',
  'stop',
  'unsubscribe',
  'opt out',
  'opt_out',
  'stop marketing',
  'הסר',
  'הסרה',
  'הסר אותי',
  'הפסק לשלוח',
  'עצור הודעות',
  '停止推廣',
  '停止推广',
  '取消訂閱',
  '取消订阅',
  '退訂',
  '退订',
];

export const DEFAULT_OPT_OUT_RULES: OptOutRules = { keywords: DEFAULT_STOP_KEYWORDS, buttons: DEFAULT_OPT_OUT_BUTTONS };

// Hebrew points and cantillation (niqqud), format characters (RTL marks, zero-width joiners).
const HEBREW_MARKS = /[\u0591-\u05C7]/g;
const FORMAT_CHARS = /\p{Cf}/gu;
const PUNCT_OR_SYMBOL = /[\p{P}\p{S}]/gu;

/**
 * Folds the ways people type the same word: NFKC (full-width ＳＴＯＰ and ！ become ASCII),
 * lower case, no niqqud or invisible marks, punctuation and emoji as spaces, whitespace collapsed.
 */
export function normaliseReply(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(HEBREW_MARKS, '')
    .replace(FORMAT_CHARS, '')
    .replace(PUNCT_OR_SYMBOL, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The comparison key: normalised with spaces dropped, so "opt out", "opt-out" and "OPT_OUT" agree. */
const matchKey = (text: string): string => normaliseReply(text).replace(/ /g, '');

function matcher(list: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const entry of list) {
    const k = matchKey(entry);
    if (k) m.set(k, entry);
  }
  return m;
}

export interface OptOutMatcher {
  /** The configured keyword a whole free-text message matches, or null. */
  keyword(text: string | null | undefined): string | null;
  /** The configured button name a tap's payload or label matches, or null. */
  button(payload: string | null | undefined, label: string | null | undefined): string | null;
}

export function createOptOutMatcher(rules: OptOutRules = DEFAULT_OPT_OUT_RULES): OptOutMatcher {
  const keywords = matcher(rules.keywords);
  const buttons = matcher(rules.buttons);
  const find = (m: Map<string, string>, text: string | null | undefined) => {
    if (!text || text.length > 200) return null;
    const k = matchKey(text);
    return k ? (m.get(k) ?? null) : null;
  };
  return {
    keyword: (text) => find(keywords, text),
    button: (payload, label) => find(buttons, payload) ?? find(buttons, label),
  };
}

/** Validates a user-edited list: trimmed, non-empty, no duplicates after normalisation. */
export function cleanKeywordList(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const t = raw.trim();
    const k = matchKey(t);
    if (!k || seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out;
}
