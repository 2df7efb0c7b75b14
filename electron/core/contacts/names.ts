const CJK_ONLY = /^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+$/;

/**
 * The display name from first and last names: "first last", except Chinese, Japanese and Korean
 * names, which are written family name first without a space (王 + 小明 → 王小明).
 */
export function displayName(first: string | null, last: string | null): string {
  if (first && last && CJK_ONLY.test(first) && CJK_ONLY.test(last)) return last + first;
  return [first, last].filter(Boolean).join(' ');
}
