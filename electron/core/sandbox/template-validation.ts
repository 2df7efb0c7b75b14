import { GraphError } from './graph-errors';
import type { ScenarioTemplate } from './scenario';

/**
 * Checks a template send's `template` object against the stored definition the way Meta does,
 * and renders the message (for the sandbox's message log). Which code each mistake gets follows
 * Meta's error table; where Meta's exact choice is not documented the closest documented code is
 * used (docs/sandbox.md lists those).
 */

export const BODY_MAX_CHARS = 1024;
export const HEADER_TEXT_MAX_CHARS = 60;
export const BUTTON_URL_MAX_CHARS = 2000;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const MEDIA_FORMATS = ['IMAGE', 'VIDEO', 'DOCUMENT'] as const;
type MediaFormat = (typeof MEDIA_FORMATS)[number];

/** Unique placeholder keys in order of first appearance. */
export function placeholders(text: string | undefined): string[] {
  if (!text) return [];
  const seen: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (m[1] && !seen.includes(m[1])) seen.push(m[1]);
  return seen;
}

interface ButtonShape {
  index: number;
  type: string;
  url?: string;
  params: string[];
}

export interface TemplateShape {
  header?: { format: string; text?: string; params: string[] };
  body: { text: string; params: string[] };
  footer?: string;
  buttons: ButtonShape[];
}

export function templateShape(t: ScenarioTemplate): TemplateShape {
  const shape: TemplateShape = { body: { text: '', params: [] }, buttons: [] };
  for (const c of t.components) {
    if (c.type === 'HEADER')
      shape.header = { format: c.format ?? 'TEXT', text: c.text, params: c.format === 'TEXT' || !c.format ? placeholders(c.text) : [] };
    else if (c.type === 'BODY') shape.body = { text: c.text ?? '', params: placeholders(c.text) };
    else if (c.type === 'FOOTER') shape.footer = c.text;
    else if (c.type === 'BUTTONS')
      (c.buttons ?? []).forEach((b, index) =>
        shape.buttons.push({
          index,
          type: b.type,
          url: b.url,
          params: b.type === 'URL' ? placeholders(b.url) : b.type === 'COPY_CODE' ? ['coupon_code'] : [],
        }),
      );
  }
  return shape;
}

export interface MediaRef {
  format: MediaFormat;
  link?: string;
  id?: string;
}

export interface RenderedTemplate {
  header?: string | MediaRef;
  body: string;
  footer?: string;
  buttons: { index: number; type: string; text?: string; url?: string; payload?: string }[];
}

export interface ValidationContext {
  /** True when an uploaded media id exists. */
  mediaExists(id: string): boolean;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text value a parameter contributes, or a GraphError for the wrong kind of parameter. */
function textValue(p: Json, where: string, expected = 'TEXT'): string {
  const type = typeof p.type === 'string' ? p.type.toLowerCase() : undefined;
  if (!type) throw new GraphError(131008, `${where}: parameter type is required`);
  if (type === 'text') {
    if (p.text === undefined || p.text === null || p.text === '')
      throw new GraphError(131008, `${where}: Parameter of type text is missing text value`);
    if (typeof p.text !== 'string') throw new GraphError(100, `${where}: text must be a string`);
    checkTextRules(p.text, where);
    return p.text;
  }
  if (type === 'currency') {
    const c = p.currency;
    if (!isObj(c)) throw new GraphError(131008, `${where}: Parameter of type currency is missing the currency object`);
    if (typeof c.fallback_value !== 'string' || !c.fallback_value)
      throw new GraphError(131008, `${where}: currency.fallback_value is required`);
    if (typeof c.code !== 'string' || !/^[A-Z]{3}$/.test(c.code))
      throw new GraphError(131009, `${where}: currency.code must be an ISO 4217 code`);
    if (typeof c.amount_1000 !== 'number' || !Number.isInteger(c.amount_1000))
      throw new GraphError(131009, `${where}: currency.amount_1000 must be an integer`);
    checkTextRules(c.fallback_value, where);
    return c.fallback_value;
  }
  if (type === 'date_time') {
    const d = p.date_time;
    if (!isObj(d) || typeof d.fallback_value !== 'string' || !d.fallback_value)
      throw new GraphError(131008, `${where}: date_time.fallback_value is required`);
    checkTextRules(d.fallback_value, where);
    return d.fallback_value;
  }
  if (['image', 'video', 'document', 'location', 'payload'].includes(type))
    throw new GraphError(132012, `${where}: Format mismatch, expected ${expected}, received ${type.toUpperCase()}`);
  throw new GraphError(100, `${where}: unknown parameter type '${String(p.type)}'`);
}

/** Meta's "format character policy": no new-lines, tabs, or runs of 4+ spaces in a parameter. */
export function checkTextRules(text: string, where: string): void {
  if (/[\n\r\t]/.test(text) || / {4,}/.test(text))
    throw new GraphError(132007, `${where}: Param text cannot have new-line/tab characters or more than 4 consecutive spaces`);
}

function paramList(component: Json | undefined, where: string): Json[] {
  if (!component || component.parameters === undefined) return [];
  if (!Array.isArray(component.parameters)) throw new GraphError(100, `${where}: parameters must be an array`);
  return component.parameters.map((p, i) => {
    if (!isObj(p)) throw new GraphError(100, `${where}: parameters[${i}] must be an object`);
    return p;
  });
}

/** Maps send parameters onto the template's placeholder keys (positional or named). */
function bindParams(params: Json[], expected: string[], named: boolean, where: string, expectedType = 'TEXT'): Map<string, string> {
  const values = new Map<string, string>();
  if (named) {
    for (const [i, p] of params.entries()) {
      const name = p.parameter_name;
      if (typeof name !== 'string' || !name)
        throw new GraphError(100, `${where}: parameters[${i}] needs parameter_name (the template uses named parameters)`);
      if (!expected.includes(name))
        throw new GraphError(
          100,
          `${where}: parameter_name '${name}' does not match any parameter of the template (${expected.join(', ') || 'none'})`,
        );
      if (values.has(name)) throw new GraphError(100, `${where}: parameter_name '${name}' is given twice`);
      values.set(name, textValue(p, `${where} parameter '${name}'`, expectedType));
    }
    const missing = expected.filter((k) => !values.has(k));
    if (missing.length) throw new GraphError(131008, `${where}: Missing parameter ${missing.map((m) => `'${m}'`).join(', ')}`);
    return values;
  }
  if (params.length !== expected.length)
    throw new GraphError(
      132000,
      `${where}: number of localizable_params (${params.length}) does not match the expected number of params (${expected.length})`,
    );
  params.forEach((p, i) => {
    if (p.parameter_name !== undefined)
      throw new GraphError(100, `${where}: parameter_name is not supported by a template with positional parameters`);
    values.set(expected[i]!, textValue(p, `${where} parameter ${i + 1}`, expectedType));
  });
  return values;
}

const hydrate = (text: string, values: Map<string, string>) => text.replace(PLACEHOLDER, (_m, k: string) => values.get(k) ?? '');

function mediaParam(p: Json, format: MediaFormat, ctx: ValidationContext): MediaRef {
  const type = typeof p.type === 'string' ? p.type.toUpperCase() : 'UNKNOWN';
  if (type !== format) throw new GraphError(132012, `header: Format mismatch, expected ${format}, received ${type}`);
  const obj = p[format.toLowerCase()];
  if (!isObj(obj) || (obj.link === undefined && obj.id === undefined))
    throw new GraphError(131008, `header: ${format.toLowerCase()} needs a link or an id`);
  if (obj.id !== undefined) {
    if (typeof obj.id !== 'string' || !ctx.mediaExists(obj.id))
      throw new GraphError(131009, `header: media id ${String(obj.id)} was not found (upload it with POST /{phone-number-id}/media)`);
    return { format, id: obj.id };
  }
  let ok = false;
  if (typeof obj.link === 'string') {
    try {
      const u = new URL(obj.link);
      ok = u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new GraphError(131009, `header: ${format.toLowerCase()}.link must be an http(s) URL`);
  return { format, link: obj.link as string };
}

/**
 * Validates `template.components` of a send against the template. The caller has already
 * checked that the template exists and is APPROVED.
 */
export function validateTemplateComponents(template: Json, t: ScenarioTemplate, ctx: ValidationContext): RenderedTemplate {
  const shape = templateShape(t);
  const named = t.parameter_format === 'NAMED';
  const raw = template.components;
  if (raw !== undefined && !Array.isArray(raw)) throw new GraphError(100, 'template.components must be an array');
  let header: Json | undefined;
  let body: Json | undefined;
  const buttons = new Map<number, Json>();
  for (const [i, c] of ((raw as unknown[]) ?? []).entries()) {
    if (!isObj(c)) throw new GraphError(100, `components[${i}] must be an object`);
    const type = typeof c.type === 'string' ? c.type.toLowerCase() : undefined;
    if (type === 'header' || type === 'body') {
      if ((type === 'header' ? header : body) !== undefined) throw new GraphError(100, `components: more than one ${type} component`);
      if (type === 'header') header = c;
      else body = c;
    } else if (type === 'button') {
      if (c.sub_type === undefined) throw new GraphError(131008, `components[${i}]: sub_type is required for a button component`);
      if (c.index === undefined) throw new GraphError(131008, `components[${i}]: index is required for a button component`);
      const index = typeof c.index === 'number' ? c.index : typeof c.index === 'string' && /^\d$/.test(c.index) ? Number(c.index) : NaN;
      if (!Number.isInteger(index) || index < 0 || index > 9)
        throw new GraphError(131009, `components[${i}]: button index must be "0"…"9", got ${JSON.stringify(c.index)}`);
      if (buttons.has(index)) throw new GraphError(100, `components: two button components with index ${index}`);
      buttons.set(index, c);
    } else {
      throw new GraphError(100, `components[${i}].type must be header, body or button, got ${JSON.stringify(c.type)}`);
    }
  }

  const out: RenderedTemplate = { body: '', footer: shape.footer, buttons: [] };

  // Header
  const headerParams = paramList(header, 'header');
  if (!shape.header) {
    if (headerParams.length)
      throw new GraphError(
        132000,
        `header: number of localizable_params (${headerParams.length}) does not match the expected number of params (0)`,
      );
  } else if ((MEDIA_FORMATS as readonly string[]).includes(shape.header.format)) {
    const format = shape.header.format as MediaFormat;
    if (headerParams.length === 0) throw new GraphError(132012, `header: Format mismatch, expected ${format}, received UNKNOWN`);
    if (headerParams.length > 1)
      throw new GraphError(
        132000,
        `header: number of localizable_params (${headerParams.length}) does not match the expected number of params (1)`,
      );
    out.header = mediaParam(headerParams[0]!, format, ctx);
  } else if (shape.header.format === 'TEXT') {
    const values = bindParams(headerParams, shape.header.params, named, 'header');
    const text = hydrate(shape.header.text ?? '', values);
    if (text.length > HEADER_TEXT_MAX_CHARS)
      throw new GraphError(132005, `header: hydrated text is ${text.length} characters; the limit is ${HEADER_TEXT_MAX_CHARS}`);
    out.header = text;
  } else if (headerParams.length) {
    throw new GraphError(132012, `header: Format mismatch, expected ${shape.header.format}`);
  }

  // Body
  const bodyValues = bindParams(paramList(body, 'body'), shape.body.params, named, 'body');
  out.body = hydrate(shape.body.text, bodyValues);
  if (out.body.length > BODY_MAX_CHARS)
    throw new GraphError(132005, `body: hydrated text is ${out.body.length} characters; the limit is ${BODY_MAX_CHARS}`);

  // Buttons
  for (const [index, c] of buttons) {
    const def = shape.buttons.find((b) => b.index === index);
    const where = `button at index ${index}`;
    if (!def) throw new GraphError(131009, `${where}: the template has no button at this index`);
    const sub = String(c.sub_type).toUpperCase();
    if (sub !== def.type) throw new GraphError(132012, `${where}: Format mismatch, expected ${def.type}, received ${sub}`);
    const params = paramList(c, where);
    if (def.type === 'URL') {
      if (params.length !== def.params.length)
        throw new GraphError(
          def.params.length && !params.length ? 131008 : 132000,
          `${where}: number of localizable_params (${params.length}) does not match the expected number of params (${def.params.length})`,
        );
      const values = def.params.length ? new Map([[def.params[0]!, textValue(params[0]!, where)]]) : new Map<string, string>();
      const url = hydrate(def.url ?? '', values);
      if (url.length > BUTTON_URL_MAX_CHARS)
        throw new GraphError(132005, `${where}: URL is ${url.length} characters; the limit is ${BUTTON_URL_MAX_CHARS}`);
      out.buttons.push({ index, type: 'URL', url });
    } else if (def.type === 'QUICK_REPLY') {
      if (params.length > 1)
        throw new GraphError(
          132000,
          `${where}: number of localizable_params (${params.length}) does not match the expected number of params (1)`,
        );
      const p = params[0];
      if (p && (String(p.type).toLowerCase() !== 'payload' || typeof p.payload !== 'string' || !p.payload))
        throw new GraphError(100, `${where}: a quick_reply parameter must be {"type":"payload","payload":"…"}`);
      out.buttons.push({ index, type: 'QUICK_REPLY', payload: p?.payload as string | undefined });
    } else if (def.type === 'COPY_CODE') {
      const p = params[0];
      if (!p || typeof p.coupon_code !== 'string' || !p.coupon_code)
        throw new GraphError(131008, `${where}: copy_code needs {"type":"coupon_code","coupon_code":"…"}`);
      out.buttons.push({ index, type: 'COPY_CODE', text: p.coupon_code });
    } else {
      out.buttons.push({ index, type: def.type });
    }
  }
  for (const def of shape.buttons) {
    if (def.type === 'URL' && def.params.length && !buttons.has(def.index))
      throw new GraphError(131008, `buttons: Button at index ${def.index} of type Url requires a parameter`);
    if (def.type === 'COPY_CODE' && !buttons.has(def.index))
      throw new GraphError(131008, `buttons: Button at index ${def.index} of type Copy code requires a parameter`);
    if (def.type === 'QUICK_REPLY' && !buttons.has(def.index)) out.buttons.push({ index: def.index, type: 'QUICK_REPLY' });
  }
  out.buttons.sort((a, b) => a.index - b.index);
  return out;
}
