/**
 * Durations as people write them: `90m`, `2h`, `1h30m`, `3d`, `45s`, or plain seconds (`7200`).
 * Used by `pacer campaign create --ttl DURATION` (the CLI contract) and shown back with
 * formatDuration. Answers seconds, or null for text that is not a duration.
 */
const UNIT_S: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };

export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^(\d+[dhms])+$/.test(t)) return null;
  let total = 0;
  const seen = new Set<string>();
  for (const m of t.matchAll(/(\d+)([dhms])/g)) {
    if (seen.has(m[2]!)) return null; // "1h2h" is a typo, not 3 hours
    seen.add(m[2]!);
    total += Number(m[1]) * UNIT_S[m[2]!]!;
  }
  return total;
}

/** `1d 2h`, `90m` → `1h 30m`; seconds only when there is a remainder below a minute. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [u, n] of Object.entries(UNIT_S)) {
    const k = Math.floor(rest / n);
    if (k) parts.push(`${k}${u}`);
    rest -= k * n;
  }
  return parts.join(' ') || '0s';
}
