/**
 * A small vCard 2.1 / 3.0 / 4.0 reader for contact imports (no maintained npm parser covers 2.1's
 * quoted-printable with soft line breaks and charsets, so this is our own, kept to what we need):
 * line unfolding, quoted-printable, CHARSET, escaped characters, grouped properties, several TEL per
 * card (cell first) and `tel:` URIs. Each card becomes one row of VCARD_HEADERS.
 */
import iconv from 'iconv-lite';

export const VCARD_HEADERS = ['Name', 'First name', 'Last name', 'Phone', 'Email', 'Categories'] as const;

interface Prop {
  name: string;
  params: Map<string, string[]>;
  value: string;
}

/** Splits a logical line "group.NAME;P=V;BARE:value" into its parts. */
function parseLine(line: string): Prop | null {
  // The value starts after the first ':' that is not inside a quoted parameter value.
  let inQuote = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') inQuote = !inQuote;
    else if (ch === ':' && !inQuote) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return null;
  const head = line.slice(0, colon).split(';');
  let name = head[0]!.trim().toUpperCase();
  const dot = name.lastIndexOf('.');
  if (dot >= 0) name = name.slice(dot + 1); // item1.TEL → TEL
  const params = new Map<string, string[]>();
  for (const p of head.slice(1)) {
    const eq = p.indexOf('=');
    // vCard 2.1 bare parameters: TEL;CELL;VOICE → TYPE=CELL, TYPE=VOICE; QUOTED-PRINTABLE → ENCODING.
    const key = eq < 0 ? (/^(quoted-printable|base64|8bit|7bit)$/i.test(p) ? 'ENCODING' : 'TYPE') : p.slice(0, eq).trim().toUpperCase();
    const raw = eq < 0 ? p : p.slice(eq + 1);
    const values = raw
      .replace(/^"|"$/g, '')
      .split(',')
      .map((v) => v.trim().toUpperCase())
      .filter(Boolean);
    params.set(key, [...(params.get(key) ?? []), ...values]);
  }
  return { name, params, value: line.slice(colon + 1) };
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = value.charCodeAt(i);
      if (code < 0x80) bytes.push(code);
      else bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  const buf = Buffer.from(bytes);
  const cs = charset.toLowerCase();
  return iconv.encodingExists(cs) ? iconv.decode(buf, cs) : buf.toString('utf8');
}

/** vCard 3.0/4.0 text escapes. */
const unescape = (s: string) => s.replace(/\\([\\,;nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** Splits on unescaped separators (N and CATEGORIES components). */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map(unescape);
}

function propValue(p: Prop): string {
  const enc = p.params.get('ENCODING')?.[0];
  const charset = p.params.get('CHARSET')?.[0] ?? 'utf-8';
  if (enc === 'QUOTED-PRINTABLE') return decodeQuotedPrintable(p.value, charset);
  if (enc === 'B' || enc === 'BASE64') return '';
  return p.value;
}

export interface VcardCard {
  /** 1-based card number in the file. */
  index: number;
  cells: string[];
}

/**
 * Incremental reader: feed text chunks, get finished cards. Lines are unfolded (RFC 6350 folding
 * and vCard 2.1 quoted-printable soft breaks) before they are parsed.
 */
export class VcardReader {
  private buffer = '';
  private lines: string[] = [];
  private inCard = false;
  private cardCount = 0;
  private props: Prop[] = [];

  constructor(private readonly maxLine: number) {}

  push(text: string, last: boolean): VcardCard[] {
    this.buffer += text;
    const parts = this.buffer.split(/\r\n|\n|\r/);
    this.buffer = last ? '' : parts.pop()!;
    if (this.buffer.length > this.maxLine) throw new RangeError('line too long');
    const cards: VcardCard[] = [];
    for (const raw of parts) this.addPhysicalLine(raw, cards);
    if (last) {
      this.flushLogical(cards);
      if (this.inCard) this.endCard(cards); // a missing END:VCARD at the very end
    }
    return cards;
  }

  private pendingLogical: string | null = null;
  private pendingQp = false;

  private addPhysicalLine(raw: string, cards: VcardCard[]): void {
    if (this.pendingLogical !== null) {
      if (this.pendingQp) {
        // Quoted-printable soft line break: the previous line ended with '='.
        this.pendingLogical = this.pendingLogical.slice(0, -1) + raw.replace(/^[ \t]/, '');
        this.pendingQp = this.pendingLogical.endsWith('=');
        if (this.pendingLogical.length > this.maxLine) throw new RangeError('line too long');
        return;
      }
      if (raw.startsWith(' ') || raw.startsWith('\t')) {
        this.pendingLogical += raw.slice(1);
        if (this.pendingLogical.length > this.maxLine) throw new RangeError('line too long');
        return;
      }
    }
    this.flushLogical(cards);
    this.pendingLogical = raw;
    this.pendingQp = /quoted-printable/i.test(raw.slice(0, raw.indexOf(':') + 1 || raw.length)) && raw.endsWith('=');
  }

  private flushLogical(cards: VcardCard[]): void {
    const line = this.pendingLogical;
    this.pendingLogical = null;
    this.pendingQp = false;
    if (line === null || !line.trim()) return;
    const upper = line.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') {
      if (this.inCard) this.endCard(cards);
      this.inCard = true;
      this.props = [];
      return;
    }
    if (upper === 'END:VCARD') {
      if (this.inCard) this.endCard(cards);
      return;
    }
    if (!this.inCard) return;
    const p = parseLine(line);
    if (p) this.props.push(p);
  }

  private endCard(cards: VcardCard[]): void {
    this.inCard = false;
    this.cardCount++;
    let fn = '';
    let given = '';
    let family = '';
    const phones: { value: string; cell: boolean }[] = [];
    const emails: string[] = [];
    const categories: string[] = [];
    for (const p of this.props) {
      const v = propValue(p);
      switch (p.name) {
        case 'FN':
          fn = unescape(v).trim();
          break;
        case 'N': {
          const parts = splitUnescaped(v, ';');
          family = (parts[0] ?? '').trim();
          given = (parts[1] ?? '').trim();
          break;
        }
        case 'TEL': {
          let num = unescape(v).trim();
          if (/^tel:/i.test(num)) num = num.slice(4).split(';')[0]!; // 4.0: VALUE=uri
          const types = [...(p.params.get('TYPE') ?? [])];
          if (num) phones.push({ value: num, cell: types.includes('CELL') || types.includes('MOBILE') || types.includes('IPHONE') });
          break;
        }
        case 'EMAIL':
          if (v.trim()) emails.push(unescape(v).trim());
          break;
        case 'CATEGORIES':
          categories.push(
            ...splitUnescaped(v, ',')
              .map((s) => s.trim())
              .filter(Boolean),
          );
          break;
      }
    }
    phones.sort((a, b) => Number(b.cell) - Number(a.cell));
    const name = fn || [given, family].filter(Boolean).join(' ');
    cards.push({
      index: this.cardCount,
      cells: [name, given, family, phones.map((p) => p.value).join(' ::: '), emails[0] ?? '', categories.join(' ::: ')],
    });
    this.props = [];
  }
}
