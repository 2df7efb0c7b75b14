/**
 * Text encodings of contact files: detection from the first bytes, with the user's override.
 *
 * Order: byte-order mark → UTF-16 without BOM (zero bytes in alternate positions, as Excel's
 * "Unicode text" writes) → strict UTF-8 (any valid UTF-8 is taken as UTF-8: legacy encodings of
 * Hebrew/Chinese text are practically never valid UTF-8) → chardet's statistical guess among the
 * legacy encodings we support.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';
import type { ImportEncoding } from '../../../../shared/contract/contacts';

export interface DetectedEncoding {
  encoding: ImportEncoding;
  /** Bytes of a byte-order mark to skip. */
  bomLength: number;
  /** False when chardet had to guess between legacy encodings. */
  confident: boolean;
}

const CHARDET_NAMES: Record<string, ImportEncoding> = {
  'windows-1255': 'windows-1255',
  'iso-8859-8': 'windows-1255',
  'iso-8859-8-i': 'windows-1255',
  'windows-1252': 'windows-1252',
  'iso-8859-1': 'windows-1252',
  big5: 'big5',
  gb18030: 'gb18030',
  gb2312: 'gb18030',
  shift_jis: 'shift_jis',
};

export function bomOf(buf: Buffer): { encoding: ImportEncoding; length: number } | null {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16 without a BOM: most ASCII characters (delimiters, digits) leave a zero byte beside them. */
function utf16Guess(buf: Buffer): ImportEncoding | null {
  const n = Math.min(buf.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++;
    if (buf[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.3 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.3 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/** Valid UTF-8, ignoring a multi-byte sequence cut at the end of the sample. */
function isUtf8(buf: Buffer, complete: boolean): boolean {
  let end = buf.length;
  if (!complete) {
    // Step back over a trailing incomplete sequence (at most 3 continuation bytes + lead byte).
    let i = end - 1;
    let back = 0;
    while (i >= 0 && back < 4 && (buf[i]! & 0xc0) === 0x80) {
      i--;
      back++;
    }
    if (i >= 0 && buf[i]! >= 0xc0) end = i;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** True for content that is not text in any encoding we read (NUL bytes outside UTF-16, control bytes). */
export function looksBinary(sample: Buffer): boolean {
  const n = Math.min(sample.length, 8192);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control / n > 0.02;
}

/**
 * Detects the encoding of a sample (the file's first bytes). `complete` says the sample is the
 * whole file (so a truncated UTF-8 sequence at its end is an error, not a cut).
 */
export function detectEncoding(sample: Buffer, complete: boolean): DetectedEncoding | null {
  const bom = bomOf(sample);
  if (bom) return { encoding: bom.encoding, bomLength: bom.length, confident: true };
  const u16 = utf16Guess(sample);
  if (u16) return { encoding: u16, bomLength: 0, confident: true };
  if (looksBinary(sample)) return null;
  if (isUtf8(sample, complete)) return { encoding: 'utf-8', bomLength: 0, confident: true };
  for (const guess of chardet.analyse(sample)) {
    const enc = CHARDET_NAMES[guess.name.toLowerCase()];
    if (enc) return { encoding: enc, bomLength: 0, confident: guess.confidence >= 50 };
  }
  return { encoding: 'windows-1252', bomLength: 0, confident: false };
}

/** A streaming decoder: bytes in, text out; keeps partial multi-byte sequences between chunks. */
export interface TextDecoderLike {
  write(chunk: Buffer): string;
  end(): string;
}

export function createDecoder(encoding: ImportEncoding): TextDecoderLike {
  if (encoding === 'utf-8') {
    const d = new TextDecoder('utf-8', { ignoreBOM: true });
    return { write: (c) => d.decode(c, { stream: true }), end: () => d.decode() };
  }
  const d = iconv.getDecoder(encoding === 'utf-16be' ? 'utf-16be' : encoding, { stripBOM: false });
  return { write: (c) => d.write(c), end: () => d.end() ?? '' };
}

/** U+FFFD in decoded text means bytes the encoding could not read: a wrong encoding, most likely. */
export const REPLACEMENT = '\ufffd';
