/**
 * Pure template rendering: what a contact sees for a WhatsApp template, given parameter values.
 * Used by the Templates preview and by campaigns ("preview as this contact will see it").
 *
 * Input is Meta's component shape as returned by `GET /{waba-id}/message_templates` (types may be
 * upper- or lower-case; the create API uses lower-case). Nothing here talks to the network.
 */

export type ParameterFormat = 'POSITIONAL' | 'NAMED';
export type HeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
export type Direction = 'ltr' | 'rtl';

export interface NamedExample {
  param_name: string;
  example: string;
}

/**
 * One component as Meta returns it. Loose on purpose (the contract stores Meta's JSON as is):
 * `example` members are read defensively and unknown members are ignored.
 */
export interface TemplateComponentInput {
  type: string;
  format?: string;
  text?: string;
  example?: Readonly<Record<string, unknown>>;
  buttons?: readonly ButtonInput[];
}

export interface ButtonInput {
  type: string;
  text?: string;
  url?: string;
  phone_number?: string;
  example?: unknown;
}

export interface TemplateInput {
  language: string;
  parameter_format?: string | null;
  components: readonly TemplateComponentInput[];
}

/** A run of a rendered text: literal text, or a parameter with its value (missing when none). */
export type Segment = { kind: 'text'; text: string } | { kind: 'param'; name: string; value: string | null };

export interface RenderedButton {
  type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'COPY_CODE' | 'OTHER';
  text: string;
  /** URL (with its parameter filled) or phone number. */
  target: string | null;
}

export interface RenderedTemplate {
  dir: Direction;
  /** BCP 47 tag for the `lang` attribute (Meta's `he_IL` becomes `he-IL`). */
  lang: string;
  header: { kind: 'text'; segments: Segment[] } | { kind: 'media'; format: Exclude<HeaderFormat, 'TEXT'>; url: string | null } | null;
  body: Segment[];
  footer: string | null;
  buttons: RenderedButton[];
  /** Parameter names (in order of first use) with no value: a send with these would be rejected. */
  missing: string[];
}

/** Values per component. Positional names are '1', '2', …; named ones are the parameter names. */
export interface RenderValues {
  header?: Readonly<Record<string, string>>;
  body?: Readonly<Record<string, string>>;
}

// {{1}}, {{ 2 }}, {{first_name}} — Meta allows lowercase letters, digits and underscores in names.
const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/gi;

/** Placeholder names in order of first appearance, without duplicates. */
export function parameterNames(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1]!);
  return [...seen];
}

/** Splits text into literal and parameter segments, filling each parameter from `values`. */
export function substitute(text: string, values: Readonly<Record<string, string>> = {}): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    const name = m[1]!;
    const v = values[name];
    out.push({ kind: 'param', name, value: v === undefined || v === '' ? null : v });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Plain text of segments; a missing parameter shows as its placeholder. */
export function segmentsToText(segments: readonly Segment[]): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : (s.value ?? `{{${s.name}}}`))).join('');
}

function findComponent(t: TemplateInput, type: string): TemplateComponentInput | undefined {
  return t.components.find((c) => c.type.toUpperCase() === type);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function namedToRecord(list: unknown): Record<string, string> {
  const r: Record<string, string> = {};
  if (!Array.isArray(list)) return r;
  for (const p of list as Partial<NamedExample>[]) {
    if (p && typeof p.param_name === 'string' && typeof p.example === 'string') r[p.param_name] = p.example;
  }
  return r;
}

function positionalToRecord(list: unknown): Record<string, string> {
  const r: Record<string, string> = {};
  strings(list).forEach((v, i) => (r[String(i + 1)] = v));
  return r;
}

/** The example values the template was submitted with — what Meta's own preview shows. */
export function sampleValues(t: TemplateInput): Required<RenderValues> {
  const header = findComponent(t, 'HEADER');
  const body = findComponent(t, 'BODY');
  return {
    header: { ...positionalToRecord(header?.example?.header_text), ...namedToRecord(header?.example?.header_text_named_params) },
    body: {
      ...positionalToRecord(Array.isArray(body?.example?.body_text) ? body.example.body_text[0] : undefined),
      ...namedToRecord(body?.example?.body_text_named_params),
    },
  };
}

const RTL_LANGS = new Set(['he', 'iw', 'ar', 'fa', 'ur', 'yi', 'ps', 'sd', 'ckb', 'dv', 'ug']);
// Hebrew, Arabic, Syriac, Thaana, NKo…, and the presentation forms.
const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const STRONG_CHAR = /\p{L}/u;

/** Meta's language code (`he`, `he_IL`, `zh_TW`, `en_US`) as a BCP 47 tag. */
export function languageTag(code: string): string {
  return code.replace(/_/g, '-');
}

/** Direction of a language code; null when the code says nothing (empty/unknown). */
export function languageDirection(code: string): Direction | null {
  const primary = code.toLowerCase().split(/[-_]/)[0] ?? '';
  if (!primary) return null;
  return RTL_LANGS.has(primary) ? 'rtl' : 'ltr';
}

/** Direction of text by its first strong letter (Unicode's P2/P3 rule); null when it has none. */
export function textDirection(text: string): Direction | null {
  for (const ch of text) {
    if (RTL_CHAR.test(ch)) return 'rtl';
    if (STRONG_CHAR.test(ch)) return 'ltr';
  }
  return null;
}

/**
 * Direction a template reads in, independent of the UI language: its language decides; when the
 * language is unknown, the body's first strong letter; else left-to-right.
 */
export function templateDirection(t: TemplateInput): Direction {
  const byLang = languageDirection(t.language);
  if (byLang) return byLang;
  return textDirection(findComponent(t, 'BODY')?.text ?? '') ?? 'ltr';
}

const BUTTON_TYPES = new Set(['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE']);

function renderButton(b: ButtonInput): RenderedButton {
  const type = b.type.toUpperCase();
  let target: string | null = null;
  // A dynamic URL's example is the whole URL with its parameter filled in: show that.
  if (type === 'URL') target = strings(b.example)[0] ?? b.url ?? null;
  if (type === 'PHONE_NUMBER') target = b.phone_number ?? null;
  return { type: (BUTTON_TYPES.has(type) ? type : 'OTHER') as RenderedButton['type'], text: b.text ?? '', target };
}

/**
 * Renders a template with the given values; with no values, with its own samples.
 * Values given replace samples per parameter; a parameter with neither is reported in `missing`.
 */
export function renderTemplate(t: TemplateInput, values?: RenderValues): RenderedTemplate {
  const samples = values ? { header: {}, body: {} } : sampleValues(t);
  const headerValues = { ...samples.header, ...values?.header };
  const bodyValues = { ...samples.body, ...values?.body };
  const missing: string[] = [];
  const collect = (segs: Segment[]) => {
    for (const s of segs) if (s.kind === 'param' && s.value === null && !missing.includes(s.name)) missing.push(s.name);
    return segs;
  };

  let header: RenderedTemplate['header'] = null;
  const h = findComponent(t, 'HEADER');
  if (h) {
    const format = (h.format ?? 'TEXT').toUpperCase();
    if (format === 'TEXT') header = { kind: 'text', segments: collect(substitute(h.text ?? '', headerValues)) };
    else if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT' || format === 'LOCATION') {
      header = { kind: 'media', format, url: strings(h.example?.header_url)[0] ?? strings(h.example?.header_handle)[0] ?? null };
    }
  }
  const body = collect(substitute(findComponent(t, 'BODY')?.text ?? '', bodyValues));
  const footer = findComponent(t, 'FOOTER')?.text ?? null;
  const buttons = (findComponent(t, 'BUTTONS')?.buttons ?? []).map(renderButton);
  return { dir: templateDirection(t), lang: languageTag(t.language), header, body, footer, buttons, missing };
}

/** Parameter names the template needs, per component — what a campaign must map to contact fields. */
export function templateParameters(t: TemplateInput): { header: string[]; body: string[] } {
  const h = findComponent(t, 'HEADER');
  const header = h && (h.format ?? 'TEXT').toUpperCase() === 'TEXT' ? parameterNames(h.text ?? '') : [];
  return { header, body: parameterNames(findComponent(t, 'BODY')?.text ?? '') };
}

export type Run = { text: string; bold?: true; italic?: true; strike?: true; mono?: true };

// WhatsApp's inline formatting: *bold*, _italic_, ~strike~, ```monospace```. The marker must hug
// non-space text and sit at word edges, as in WhatsApp itself ("2 * 3 * 4", "snake_case_name" stay plain).
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const FORMAT = new RegExp(
  '```([^`]+?)```' + `|${B}\\*(\\S(?:[^*\\n]*\\S)?)\\*${E}` + `|${B}_(\\S(?:[^_\\n]*\\S)?)_${E}` + `|${B}~(\\S(?:[^~\\n]*\\S)?)~${E}`,
  'gu',
);

/** Splits literal template text into formatted runs (one level; nesting is rare in templates). */
export function formatRuns(text: string): Run[] {
  const out: Run[] = [];
  let last = 0;
  for (const m of text.matchAll(FORMAT)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ text: m[1], mono: true });
    else if (m[2] !== undefined) out.push({ text: m[2], bold: true });
    else if (m[3] !== undefined) out.push({ text: m[3], italic: true });
    else if (m[4] !== undefined) out.push({ text: m[4], strike: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
