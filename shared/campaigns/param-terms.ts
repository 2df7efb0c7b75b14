/**
 * Splits a parameter source (`first_name|attr.nick|"friend"`) on `|` outside quotes — a quoted
 * literal may contain `|` or an escaped quote. Blank terms are dropped; terms are not trimmed.
 * Shared by the core's mapping compiler and the campaign builder, so both read the syntax alike.
 */
export function splitTerms(source: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && quoted && i + 1 < source.length) {
      cur += c + source[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === '|' && !quoted) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out.filter((p) => p.trim().length > 0);
}
