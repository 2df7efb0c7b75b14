/**
 * What a WhatsApp media header may carry and how a file's type is told from its first bytes.
 * Used by campaign header media and by template header examples; it knows nothing of either.
 */
export type HeaderKind = 'image' | 'video' | 'document';

/** What a header of each kind may carry, with Meta's limits (MB). */
export const HEADER_MEDIA_TYPES: Record<string, { kind: HeaderKind; maxMb: number; ext: string }> = {
  'image/jpeg': { kind: 'image', maxMb: 5, ext: '.jpg' },
  'image/png': { kind: 'image', maxMb: 5, ext: '.png' },
  'video/mp4': { kind: 'video', maxMb: 16, ext: '.mp4' },
  'video/3gpp': { kind: 'video', maxMb: 16, ext: '.3gp' },
  'application/pdf': { kind: 'document', maxMb: 100, ext: '.pdf' },
};

/** The MIME type of a file from its first bytes, or null when it is none of the header types. */
export function sniffMediaType(head: Uint8Array): string | null {
  const b = head;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) return 'application/pdf'; // %PDF-
  if (b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70) {
    // ISO base media: "ftyp" then the brand; 3gp brands start with "3g".
    return b[8] === 0x33 && b[9] === 0x67 ? 'video/3gpp' : 'video/mp4';
  }
  return null;
}
