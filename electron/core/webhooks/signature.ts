import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=<hex>` — the X-Hub-Signature-256 value Meta sends for a body. */
export function signBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'mismatch';

/**
 * Checks X-Hub-Signature-256 against the RAW bytes received (never re-serialised JSON), comparing
 * in constant time. Malformed headers are refused before any comparison.
 */
export function checkSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): SignatureCheck {
  if (header === undefined || header === '') return 'missing';
  if (Array.isArray(header)) return 'malformed';
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return 'malformed';
  const given = Buffer.from(m[1]!.toLowerCase(), 'hex');
  const expected = crypto.createHmac('sha256', appSecret).update(rawBody).digest();
  return crypto.timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}
