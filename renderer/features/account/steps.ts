/** A value held over [from, to) — one segment of a step chart. */
export interface Step<T> {
  from: number;
  to: number;
  value: T;
}

/**
 * Turns change points into steps over [start, end]. The state before start carries in; with no
 * point before start the steps begin at the first point — nothing is drawn for time Pacer did
 * not observe.
 */
export function toSteps<T>(points: { at: number; value: T }[], start: number, end: number): Step<T>[] {
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const before = sorted.filter((p) => p.at <= start).at(-1);
  const inside = sorted.filter((p) => p.at > start && p.at <= end);
  const first = before ?? inside[0];
  if (!first) return [];
  const steps: Step<T>[] = [];
  let value: T = first.value;
  let from = before ? start : first.at;
  for (const p of inside) {
    if (p.value !== value) {
      steps.push({ from, to: p.at, value });
      from = p.at;
      value = p.value;
    }
  }
  steps.push({ from, to: end, value });
  return steps;
}
