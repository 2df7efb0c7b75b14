/**
 * Template parameters: which placeholders a template has, how each is mapped to a contact, and the
 * `components` array of the send payload. No empty parameter is ever sent: a recipient for whom a
 * parameter resolves to nothing (after every fallback) is excluded as `unmapped_parameter`.
 *
 * Mapping keys:
 *   body       `1`, `2`, … (positional) or `first_name` … (named templates)
 *   header     `header` (a text header has at most one variable)
 *   URL button `button.N` (N = the button's index in the template, from 0)
 * Sources:  a contact field (phone, first_name, last_name, name, email), `attr.NAME`, or a quoted
 * literal `"text"`; `|` separates fallbacks tried in order, e.g. `first_name|attr.nickname|"friend"`.
 * A bare word in a fallback position that is not a field is taken as a literal (`first_name|friend`).
 */
import { splitTerms } from '../../../shared/campaigns/param-terms';
import type { PlanBlocker } from '../../../shared/contract/campaigns';

export const CONTACT_FIELDS = ['phone', 'first_name', 'last_name', 'name', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export type SourceTerm = { kind: 'field'; field: ContactField } | { kind: 'attr'; name: string } | { kind: 'literal'; text: string };

/** What a contact offers to the mapping. */
export interface ParamContact {
  /** E.164; null for a contact known only by its WhatsApp user id (a {{phone}} parameter is then empty). */
  phone: string | null;
  first_name?: string | null;
  last_name?: string | null;
  name?: string | null;
  email?: string | null;
  attributes?: Record<string, unknown> | null;
}

/** A mapping that cannot be used: the English message, and (from compileMapping) the plan blocker it makes. */
export class MappingError extends Error {
  constructor(
    message: string,
    readonly blocker: PlanBlocker | null = null,
  ) {
    super(message);
  }
}

const isField = (s: string): s is ContactField => (CONTACT_FIELDS as readonly string[]).includes(s);

export function parseSource(source: string): SourceTerm[] {
  const parts = splitTerms(source);
  if (parts.length === 0) throw new MappingError('empty source');
  return parts.map((raw, i) => {
    const p = raw.trim();
    if (p.startsWith('"')) {
      if (p.length < 2 || !p.endsWith('"')) throw new MappingError(`unterminated literal in ${JSON.stringify(source)}`);
      return { kind: 'literal', text: p.slice(1, -1).replace(/\\(["\\|])/g, '$1') };
    }
    if (p.startsWith('attr.')) {
      const name = p.slice(5);
      if (!/^[\p{L}\p{N}_.\- ]+$/u.test(name)) throw new MappingError(`bad attribute name in ${JSON.stringify(source)}`);
      return { kind: 'attr', name };
    }
    if (isField(p)) return { kind: 'field', field: p };
    if (i > 0 && p.length > 0) return { kind: 'literal', text: p };
    throw new MappingError(
      `unknown source ${JSON.stringify(p)}: use a contact field (${CONTACT_FIELDS.join(', ')}), attr.NAME or "literal"`,
    );
  });
}

/**
 * Meta refuses parameters with newlines, tabs or more than 4 consecutive spaces (132007); we
 * flatten them rather than lose the recipient.
 */
export function sanitizeParam(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {4,}/g, '   ')
    .trim();
}

function termValue(term: SourceTerm, c: ParamContact): string {
  switch (term.kind) {
    case 'literal':
      return term.text;
    case 'field': {
      const v = c[term.field];
      return v == null ? '' : String(v);
    }
    case 'attr': {
      const v = c.attributes?.[term.name];
      return v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
  }
}

/** The first non-empty value among the terms, sanitised; null when every term is empty. */
export function resolveSource(terms: readonly SourceTerm[], c: ParamContact): string | null {
  for (const t of terms) {
    const v = sanitizeParam(termValue(t, c));
    if (v.length > 0) return v;
  }
  return null;
}

// ---- Template placeholders ------------------------------------------------------------------

export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: { type: string; text?: string; url?: string }[];
}

export interface TemplateShape {
  name: string;
  language: string;
  category?: string;
  parameter_format?: string | null;
  components: readonly TemplateComponent[];
}

export interface Placeholder {
  key: string;
  component: 'header' | 'body' | 'button';
  /** Button index for URL buttons. */
  index?: number;
}

const VAR_RE = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

function varsIn(text: string | undefined): string[] {
  if (!text) return [];
  const seen: string[] = [];
  for (const m of text.matchAll(VAR_RE)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
  return seen;
}

export function templatePlaceholders(t: TemplateShape): Placeholder[] {
  const out: Placeholder[] = [];
  for (const c of t.components) {
    const type = c.type.toUpperCase();
    if (type === 'HEADER' && (c.format ?? 'TEXT').toUpperCase() === 'TEXT' && varsIn(c.text).length)
      out.push({ key: 'header', component: 'header' });
    if (type === 'BODY') {
      const vars = varsIn(c.text);
      // Positional values go in number order whatever order they appear in.
      if (vars.every((v) => /^\d+$/.test(v))) vars.sort((a, b) => Number(a) - Number(b));
      for (const v of vars) out.push({ key: v, component: 'body' });
    }
    if (type === 'BUTTONS') {
      (c.buttons ?? []).forEach((b, index) => {
        if (b.type.toUpperCase() === 'URL' && varsIn(b.url).length) out.push({ key: `button.${index}`, component: 'button', index });
      });
    }
  }
  return out;
}

/** The header media a template needs ('IMAGE' | 'VIDEO' | 'DOCUMENT'), or null. */
export function headerMediaFormat(t: TemplateShape): 'image' | 'video' | 'document' | null {
  const h = t.components.find((c) => c.type.toUpperCase() === 'HEADER');
  const f = h?.format?.toUpperCase();
  return f === 'IMAGE' ? 'image' : f === 'VIDEO' ? 'video' : f === 'DOCUMENT' ? 'document' : null;
}

export type ParamMapping = Record<string, string>;
export type CompiledMapping = { placeholder: Placeholder; terms: SourceTerm[] }[];

/** Checks that every placeholder has a valid source and no unknown keys are given. */
export function compileMapping(t: TemplateShape, mapping: ParamMapping): CompiledMapping {
  const placeholders = templatePlaceholders(t);
  const known = new Set(placeholders.map((p) => p.key));
  for (const key of Object.keys(mapping)) {
    if (!known.has(key)) {
      const message = `template ${t.name} has no parameter ${JSON.stringify(key)} (it has: ${[...known].join(', ') || 'none'})`;
      throw new MappingError(message, {
        code: 'param_unknown',
        params: { template: t.name, parameter: key, known: [...known].join(', ') },
        message,
      });
    }
  }
  return placeholders.map((p) => {
    const source = mapping[p.key];
    if (source === undefined) {
      const message = `parameter ${JSON.stringify(p.key)} of template ${t.name} is not mapped`;
      throw new MappingError(message, { code: 'param_unmapped', params: { template: t.name, parameter: p.key }, message });
    }
    try {
      return { placeholder: p, terms: parseSource(source) };
    } catch (e) {
      const message = `parameter ${JSON.stringify(p.key)}: ${(e as Error).message}`;
      throw new MappingError(message, { code: 'param_source_invalid', params: { parameter: p.key, source }, message });
    }
  });
}

export interface SendComponent {
  type: 'header' | 'body' | 'button';
  sub_type?: 'url';
  index?: string;
  parameters: Record<string, unknown>[];
}

export type ResolvedParams = { ok: true; values: Record<string, string> } | { ok: false; missing: string[] };

export function resolveParams(compiled: CompiledMapping, c: ParamContact): ResolvedParams {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const { placeholder, terms } of compiled) {
    const v = resolveSource(terms, c);
    if (v === null) missing.push(placeholder.key);
    else values[placeholder.key] = v;
  }
  return missing.length ? { ok: false, missing } : { ok: true, values };
}

/** The `template.components` array for the send payload. */
export function buildComponents(
  t: TemplateShape,
  compiled: CompiledMapping,
  values: Record<string, string>,
  headerMedia?: { link?: string; id?: string } | null,
): SendComponent[] {
  const named = (t.parameter_format ?? '').toUpperCase() === 'NAMED';
  const out: SendComponent[] = [];
  const media = headerMediaFormat(t);
  if (media) {
    if (!headerMedia || (!headerMedia.link && !headerMedia.id)) throw new MappingError(`template ${t.name} needs ${media} header media`);
    out.push({
      type: 'header',
      parameters: [{ type: media, [media]: headerMedia.id ? { id: headerMedia.id } : { link: headerMedia.link } }],
    });
  }
  const header = compiled.find((m) => m.placeholder.component === 'header');
  if (header) {
    const name = varsIn(t.components.find((c) => c.type.toUpperCase() === 'HEADER')?.text)[0];
    out.push({ type: 'header', parameters: [textParam(values.header!, named ? name : undefined)] });
  }
  const body = compiled.filter((m) => m.placeholder.component === 'body');
  if (body.length)
    out.push({ type: 'body', parameters: body.map((m) => textParam(values[m.placeholder.key]!, named ? m.placeholder.key : undefined)) });
  for (const m of compiled.filter((x) => x.placeholder.component === 'button')) {
    out.push({
      type: 'button',
      sub_type: 'url',
      index: String(m.placeholder.index),
      parameters: [{ type: 'text', text: values[m.placeholder.key]! }],
    });
  }
  return out;
}

function textParam(text: string, name: string | undefined): Record<string, unknown> {
  return name ? { type: 'text', parameter_name: name, text } : { type: 'text', text };
}

/** The message text as the recipient will see it (for previews). */
export function renderPreview(
  t: TemplateShape,
  values: Record<string, string>,
): { header: string | null; body: string; buttons: string[] } {
  const fill = (text: string | undefined, prefix = '') =>
    (text ?? '').replace(VAR_RE, (_m, v: string) => values[prefix ? prefix : v] ?? `{{${v}}}`);
  const h = t.components.find((c) => c.type.toUpperCase() === 'HEADER');
  const b = t.components.find((c) => c.type.toUpperCase() === 'BODY');
  const buttons = t.components.find((c) => c.type.toUpperCase() === 'BUTTONS')?.buttons ?? [];
  return {
    header: h ? ((h.format ?? 'TEXT').toUpperCase() === 'TEXT' ? fill(h.text, 'header') : `[${h.format!.toLowerCase()}]`) : null,
    body: fill(b?.text),
    buttons: buttons.map((btn, i) =>
      btn.type.toUpperCase() === 'URL' ? `${btn.text ?? ''} → ${fill(btn.url, `button.${i}`)}` : (btn.text ?? ''),
    ),
  };
}
