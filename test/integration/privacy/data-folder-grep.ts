/**
 * Grepping a data folder byte for byte (issue #14, "erasure leaves nothing"): every file, UTF-8
 * and UTF-16LE, and the encrypted store also decrypted page by page with its key, so what it holds
 * — freed pages included — is seen as it would be without encryption at rest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decryptedCopy } from '../../support/store';

/** Every file under the folder, recursively, as raw bytes. */
export function filesOf(dir: string): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesOf(p));
    else if (e.isFile()) out.push({ file: p, bytes: fs.readFileSync(p) });
  }
  return out;
}

/** The needles found, as `file: needle (encoding)`. */
export function hits(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  for (const { file, bytes } of filesOf(dir)) {
    for (const n of needles) {
      for (const enc of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(n, enc))) found.push(`${path.basename(file)}: ${n} (${enc})`);
      }
    }
  }
  return found;
}

/** The needles in the raw files and in a copy with the store decrypted. */
export function holds(dir: string, key: Buffer, needles: string[]): string[] {
  const copy = decryptedCopy(dir, key);
  try {
    return [...hits(dir, needles), ...hits(copy, needles)];
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * Digits as base64 at each of the three byte alignments they can have inside a longer payload
 * (only whole 3-byte groups: the characters at the edges depend on the neighbours) — how a
 * number sits inside a wamid.
 */
export function base64Fragments(digits: string): string[] {
  const out = new Set<string>();
  for (let skip = 0; skip < 3; skip++) {
    const part = Buffer.from(digits.slice(skip), 'ascii');
    const whole = part.subarray(0, Math.floor(part.length / 3) * 3);
    out.add(whole.toString('base64'));
    out.add(whole.toString('base64url'));
  }
  return [...out];
}

export async function until(what: string, fn: () => boolean, ms = 20_000, state: () => string = () => ''): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} ${state()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
