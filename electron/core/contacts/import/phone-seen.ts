/**
 * The numbers seen so far in one import, and the row each was first seen on — for "duplicate of
 * row N" without a unique index in the staging file (an index filled in random order was the
 * read phase's biggest cost).
 *
 * An E.164 number has at most 15 digits, so its digits fit a double exactly (< 2^53): keys live
 * in a Float64Array and first rows in an Int32Array, open addressing with linear probing. A
 * million numbers take 2^21 slots × 12 bytes = 24 MB, about a third of a Set of strings.
 */
const EMPTY = -1;

export class PhoneSeen {
  private keys: Float64Array;
  private rows: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialSlots = 1 << 16) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.keys = new Float64Array(slots);
    this.rows = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Records `e164` as seen on `row`; answers the earlier row when it was already seen, else null. */
  firstRow(e164: string, row: number): number | null {
    const key = Number(e164.charCodeAt(0) === 43 ? e164.slice(1) : e164);
    let i = hash(key) & this.mask;
    for (;;) {
      const r = this.rows[i]!;
      if (r === EMPTY) break;
      if (this.keys[i] === key) return r;
      i = (i + 1) & this.mask;
    }
    this.keys[i] = key;
    this.rows[i] = row;
    if (++this.count * 2 > this.mask) this.grow();
    return null;
  }

  private grow(): void {
    const { keys, rows } = this;
    const slots = keys.length * 2;
    this.keys = new Float64Array(slots);
    this.rows = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    for (let j = 0; j < keys.length; j++) {
      if (rows[j] === EMPTY) continue;
      let i = hash(keys[j]!) & this.mask;
      while (this.rows[i] !== EMPTY) i = (i + 1) & this.mask;
      this.keys[i] = keys[j]!;
      this.rows[i] = rows[j]!;
    }
  }
}

/** Mixes both 32-bit halves of the number (numbers of one country share their high digits). */
function hash(key: number): number {
  const lo = (key % 4294967296) | 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x27d4eb2d) ^ (h >>> 13);
}
