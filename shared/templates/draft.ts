/**
 * A template the user writes in Pacer's editor, the rules Meta checks when it is submitted, and
 * the `POST /{waba-id}/message_templates` body made from it. Pure: the renderer runs the same
 * checks live while the user types, the core runs them again before it calls Meta, and the
 * Sandbox runs them on what it receives (docs/whatsapp.md "Creating templates" cites the rules).
 *
 * Every problem is a code with params (translated in the UI), never English text.
 */
import { z } from 'zod';
import { MARKETING_TTL_MAX_S, MARKETING_TTL_MIN_S } from '../message-ttl';

export const DRAFT_CATEGORIES = ['MARKETING', 'UTILITY'] as const;
export const HEADER_MEDIA_FORMATS = ['IMAGE', 'VIDEO', 'DOCUMENT'] as const;

/** Meta's limits for template components (templates overview and components reference). */
export const TEMPLATE_LIMITS = {
  nameMax: 512,
  headerTextMax: 60,
  bodyMax: 1024,
  footerMax: 60,
  buttonsMax: 10,
  buttonTextMax: 25,
  urlButtonsMax: 2,
  phoneButtonsMax: 1,
  copyCodeButtonsMax: 1,
  copyCodeMax: 15,
  urlMax: 2000,
  phoneMax: 20,
  exampleMax: 200,
} as const;

const button = z.discriminatedUnion('type', [
  z.object({ type: z.literal('QUICK_REPLY'), text: z.string(), optOut: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('URL'), text: z.string(), url: z.string(), example: z.string().optional() }).strict(),
  z.object({ type: z.literal('PHONE_NUMBER'), text: z.string(), phone: z.string() }).strict(),
  z.object({ type: z.literal('COPY_CODE'), example: z.string() }).strict(),
]);

export const templateDraftSchema = z
  .object({
    name: z.string(),
    language: z.string().min(2),
    category: z.enum(DRAFT_CATEGORIES),
    parameterFormat: z.enum(['positional', 'named']),
    header: z
      .union([
        z.object({ format: z.literal('TEXT'), text: z.string(), example: z.string().optional() }).strict(),
        z.object({ format: z.enum(HEADER_MEDIA_FORMATS), fileId: z.string().optional(), handle: z.string().optional() }).strict(),
      ])
      .optional(),
    body: z.object({ text: z.string(), examples: z.record(z.string(), z.string()) }).strict(),
    footer: z.string().optional(),
    buttons: z.array(button),
    /**
     * Marketing only: Meta's message time-to-live (`message_send_ttl_seconds`, §2.4 / §11 of the
     * reference): a message not delivered within it is dropped. 12 h to 30 days (shared/message-ttl.ts).
     */
    ttlSeconds: z.number().int().optional(),
  })
  .strict();

export type TemplateDraft = z.infer<typeof templateDraftSchema>;
export type DraftButton = TemplateDraft['buttons'][number];

export type DraftIssueCode =
  | 'name_required'
  | 'name_format'
  | 'name_too_long'
  | 'body_required'
  | 'too_long'
  | 'example_missing'
  | 'example_too_long'
  | 'positional_order'
  | 'named_format'
  | 'mixed_variables'
  | 'variable_at_edge'
  | 'adjacent_variables'
  | 'header_one_variable'
  | 'header_media_missing'
  | 'footer_variable'
  | 'too_many_buttons'
  | 'too_many_of_type'
  | 'button_text_required'
  | 'url_invalid'
  | 'url_variable_not_at_end'
  | 'phone_invalid'
  | 'copy_code_invalid'
  | 'buttons_not_grouped'
  | 'duplicate_button_text'
  | 'ttl_range';

/** One problem: `field` names the part of the editor (body, header, footer, buttons.2, name). */
export interface DraftIssue {
  code: DraftIssueCode;
  field: string;
  params?: Record<string, string | number>;
}

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variables of a text in order of first appearance: ['1', '2'] or ['first_name']. */
export function variablesOf(text: string | undefined): string[] {
  if (!text) return [];
  const seen: string[] = [];
  for (const m of text.matchAll(VARIABLE)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
  return seen;
}

function checkVariables(text: string, field: string, format: TemplateDraft['parameterFormat'], issues: DraftIssue[]): void {
  const vars = variablesOf(text);
  if (!vars.length) return;
  const numeric = vars.filter((v) => /^\d+$/.test(v));
  if (format === 'positional') {
    if (numeric.length !== vars.length) {
      issues.push({ code: 'mixed_variables', field, params: { variable: vars.find((v) => !/^\d+$/.test(v))! } });
      return;
    }
    // Meta: positional variables are {{1}}, {{2}}, … in order, without gaps.
    const expected = vars.map((_, i) => String(i + 1));
    if (vars.join(',') !== expected.join(','))
      issues.push({ code: 'positional_order', field, params: { found: vars.map((v) => `{{${v}}}`).join(' ') } });
  } else {
    const bad = vars.find((v) => !/^[a-z][a-z0-9_]*$/.test(v));
    if (bad !== undefined) issues.push({ code: 'named_format', field, params: { variable: bad } });
  }
}

const isUrl = (s: string) => /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(s);

/** Meta's checks, in the editor's order. An empty list means the draft can be submitted. */
export function validateDraft(d: TemplateDraft, opts: { headerMediaReady?: boolean } = {}): DraftIssue[] {
  const L = TEMPLATE_LIMITS;
  const issues: DraftIssue[] = [];
  if (!d.name) issues.push({ code: 'name_required', field: 'name' });
  else if (d.name.length > L.nameMax) issues.push({ code: 'name_too_long', field: 'name', params: { max: L.nameMax } });
  else if (!/^[a-z0-9_]+$/.test(d.name)) issues.push({ code: 'name_format', field: 'name' });

  if (d.header?.format === 'TEXT') {
    if (d.header.text.length > L.headerTextMax)
      issues.push({ code: 'too_long', field: 'header', params: { max: L.headerTextMax, length: d.header.text.length } });
    const vars = variablesOf(d.header.text);
    if (vars.length > 1) issues.push({ code: 'header_one_variable', field: 'header' });
    checkVariables(d.header.text, 'header', d.parameterFormat, issues);
    if (vars.length === 1 && !d.header.example?.trim())
      issues.push({ code: 'example_missing', field: 'header', params: { variable: vars[0]! } });
  } else if (d.header && !d.header.fileId && !d.header.handle && !opts.headerMediaReady) {
    issues.push({ code: 'header_media_missing', field: 'header' });
  }

  // Meta's marketing TTL range (a TTL on another category is not sent: draftToCreateRequest).
  if (
    d.category === 'MARKETING' &&
    d.ttlSeconds !== undefined &&
    (d.ttlSeconds < MARKETING_TTL_MIN_S || d.ttlSeconds > MARKETING_TTL_MAX_S)
  )
    issues.push({
      code: 'ttl_range',
      field: 'ttl',
      params: { min_hours: MARKETING_TTL_MIN_S / 3600, max_days: MARKETING_TTL_MAX_S / 86_400 },
    });

  const body = d.body.text;
  if (!body.trim()) issues.push({ code: 'body_required', field: 'body' });
  if (body.length > L.bodyMax) issues.push({ code: 'too_long', field: 'body', params: { max: L.bodyMax, length: body.length } });
  checkVariables(body, 'body', d.parameterFormat, issues);
  const trimmed = body.trim();
  // Meta refuses a body that starts or ends with a variable, or has two variables side by side.
  if (/^\{\{[^{}]*\}\}/.test(trimmed) || /\{\{[^{}]*\}\}[.!?…。！？]?$/.test(trimmed))
    issues.push({ code: 'variable_at_edge', field: 'body' });
  if (/\}\}\s*\{\{/.test(body)) issues.push({ code: 'adjacent_variables', field: 'body' });
  for (const v of variablesOf(body)) {
    const ex = d.body.examples[v]?.trim();
    if (!ex) issues.push({ code: 'example_missing', field: 'body', params: { variable: v } });
    else if (ex.length > L.exampleMax) issues.push({ code: 'example_too_long', field: 'body', params: { variable: v, max: L.exampleMax } });
  }

  if (d.footer !== undefined && d.footer !== '') {
    if (d.footer.length > L.footerMax)
      issues.push({ code: 'too_long', field: 'footer', params: { max: L.footerMax, length: d.footer.length } });
    if (variablesOf(d.footer).length) issues.push({ code: 'footer_variable', field: 'footer' });
  }

  const b = d.buttons;
  if (b.length > L.buttonsMax) issues.push({ code: 'too_many_buttons', field: 'buttons', params: { max: L.buttonsMax } });
  const count = (t: DraftButton['type']) => b.filter((x) => x.type === t).length;
  if (count('URL') > L.urlButtonsMax)
    issues.push({ code: 'too_many_of_type', field: 'buttons', params: { type: 'URL', max: L.urlButtonsMax } });
  if (count('PHONE_NUMBER') > L.phoneButtonsMax)
    issues.push({ code: 'too_many_of_type', field: 'buttons', params: { type: 'PHONE_NUMBER', max: L.phoneButtonsMax } });
  if (count('COPY_CODE') > L.copyCodeButtonsMax)
    issues.push({ code: 'too_many_of_type', field: 'buttons', params: { type: 'COPY_CODE', max: L.copyCodeButtonsMax } });
  // Meta: quick replies and call-to-action buttons must each be together (no QR between two CTAs).
  const kinds = b
    .map((x) => (x.type === 'QUICK_REPLY' ? 'q' : 'c'))
    .join('')
    .replace(/(.)\1+/g, '$1');
  if (kinds.length > 2) issues.push({ code: 'buttons_not_grouped', field: 'buttons' });
  const texts = new Set<string>();
  b.forEach((x, i) => {
    const field = `buttons.${i}`;
    if (x.type !== 'COPY_CODE') {
      if (!x.text.trim()) issues.push({ code: 'button_text_required', field });
      else if (x.text.length > L.buttonTextMax)
        issues.push({ code: 'too_long', field, params: { max: L.buttonTextMax, length: x.text.length } });
      else if (texts.has(x.text.trim())) issues.push({ code: 'duplicate_button_text', field });
      texts.add(x.text.trim());
    }
    if (x.type === 'URL') {
      const vars = variablesOf(x.url);
      if (!isUrl(x.url.replace(VARIABLE, 'x')) || x.url.length > L.urlMax) issues.push({ code: 'url_invalid', field });
      else if (vars.length > 1 || (vars.length === 1 && !/\{\{[^{}]*\}\}$/.test(x.url)))
        issues.push({ code: 'url_variable_not_at_end', field });
      else if (vars.length === 1 && !x.example?.trim()) issues.push({ code: 'example_missing', field, params: { variable: vars[0]! } });
    }
    if (x.type === 'PHONE_NUMBER' && !/^\+?[0-9][0-9 ()-]{5,}$/.test(x.phone.trim())) issues.push({ code: 'phone_invalid', field });
    if (x.type === 'PHONE_NUMBER' && x.phone.replace(/[^0-9]/g, '').length > L.phoneMax) issues.push({ code: 'phone_invalid', field });
    if (x.type === 'COPY_CODE' && (!x.example.trim() || x.example.length > L.copyCodeMax || /\s/.test(x.example)))
      issues.push({ code: 'copy_code_invalid', field, params: { max: L.copyCodeMax } });
  });
  return issues;
}

/** Graph's components for a draft: what `POST /{waba-id}/message_templates` takes. */
export function draftComponents(d: TemplateDraft, headerHandle?: string): Record<string, unknown>[] {
  const named = d.parameterFormat === 'named';
  const out: Record<string, unknown>[] = [];
  if (d.header?.format === 'TEXT') {
    const v = variablesOf(d.header.text)[0];
    out.push({
      type: 'HEADER',
      format: 'TEXT',
      text: d.header.text,
      ...(v
        ? {
            example: named
              ? { header_text_named_params: [{ param_name: v, example: d.header.example ?? '' }] }
              : { header_text: [d.header.example ?? ''] },
          }
        : {}),
    });
  } else if (d.header) {
    const handle = headerHandle ?? d.header.handle;
    out.push({ type: 'HEADER', format: d.header.format, ...(handle ? { example: { header_handle: [handle] } } : {}) });
  }
  const vars = variablesOf(d.body.text);
  out.push({
    type: 'BODY',
    text: d.body.text,
    ...(vars.length
      ? {
          example: named
            ? { body_text_named_params: vars.map((v) => ({ param_name: v, example: d.body.examples[v] ?? '' })) }
            : { body_text: [vars.map((v) => d.body.examples[v] ?? '')] },
        }
      : {}),
  });
  if (d.footer) out.push({ type: 'FOOTER', text: d.footer });
  if (d.buttons.length) {
    out.push({
      type: 'BUTTONS',
      buttons: d.buttons.map((b) => {
        switch (b.type) {
          case 'QUICK_REPLY':
            return { type: 'QUICK_REPLY', text: b.text };
          case 'URL':
            return { type: 'URL', text: b.text, url: b.url, ...(variablesOf(b.url).length ? { example: [b.example ?? ''] } : {}) };
          case 'PHONE_NUMBER':
            return { type: 'PHONE_NUMBER', text: b.text, phone_number: b.phone.replace(/[^0-9+]/g, '') };
          case 'COPY_CODE':
            return { type: 'COPY_CODE', example: b.example };
        }
      }),
    });
  }
  return out;
}

/** The whole create body. */
export function draftToCreateRequest(d: TemplateDraft, headerHandle?: string): Record<string, unknown> {
  return {
    name: d.name,
    language: d.language,
    category: d.category,
    parameter_format: d.parameterFormat,
    components: draftComponents(d, headerHandle),
    ...(d.category === 'MARKETING' && d.ttlSeconds !== undefined ? { message_send_ttl_seconds: d.ttlSeconds } : {}),
  };
}

type Component = { type?: string; format?: string; text?: string; example?: Record<string, unknown>; buttons?: Record<string, unknown>[] };

/**
 * A draft from Meta's component shape (an existing template, or a create body): for Edit and
 * Duplicate in the app, and for the Sandbox, which checks a received body with the same rules.
 */
export function draftFromComponents(
  base: { name: string; language: string; category: string; parameterFormat?: string; ttlSeconds?: number },
  components: readonly Component[],
  optOutTexts: readonly string[] = [],
): TemplateDraft {
  const named = (base.parameterFormat ?? '').toLowerCase() === 'named';
  const find = (t: string) => components.find((c) => (c.type ?? '').toUpperCase() === t);
  const header = find('HEADER');
  const body = find('BODY');
  const footer = find('FOOTER');
  const buttons = find('BUTTONS')?.buttons ?? [];
  const examples: Record<string, string> = {};
  const bodyVars = variablesOf(body?.text);
  const ex = body?.example ?? {};
  if (named && Array.isArray(ex.body_text_named_params)) {
    for (const p of ex.body_text_named_params as { param_name?: string; example?: string }[])
      if (p.param_name) examples[p.param_name] = String(p.example ?? '');
  } else if (Array.isArray(ex.body_text) && Array.isArray(ex.body_text[0])) {
    (ex.body_text[0] as unknown[]).forEach((v, i) => {
      if (bodyVars[i] !== undefined) examples[bodyVars[i]!] = String(v);
    });
  }
  let draftHeader: TemplateDraft['header'];
  if (header) {
    const format = (header.format ?? 'TEXT').toUpperCase();
    if (format === 'TEXT') {
      const hx = header.example ?? {};
      const example = Array.isArray(hx.header_text)
        ? String(hx.header_text[0] ?? '')
        : Array.isArray(hx.header_text_named_params)
          ? String((hx.header_text_named_params[0] as { example?: string } | undefined)?.example ?? '')
          : undefined;
      draftHeader = { format: 'TEXT', text: header.text ?? '', ...(example !== undefined ? { example } : {}) };
    } else if ((HEADER_MEDIA_FORMATS as readonly string[]).includes(format)) {
      const h = header.example?.header_handle;
      draftHeader = {
        format: format as (typeof HEADER_MEDIA_FORMATS)[number],
        ...(Array.isArray(h) && typeof h[0] === 'string' ? { handle: h[0] } : {}),
      };
    }
  }
  const category = (DRAFT_CATEGORIES as readonly string[]).includes(base.category.toUpperCase())
    ? (base.category.toUpperCase() as TemplateDraft['category'])
    : 'MARKETING';
  return {
    name: base.name,
    language: base.language,
    category,
    parameterFormat: named ? 'named' : 'positional',
    ...(draftHeader ? { header: draftHeader } : {}),
    body: { text: body?.text ?? '', examples },
    ...(footer?.text ? { footer: footer.text } : {}),
    ...(base.ttlSeconds !== undefined ? { ttlSeconds: base.ttlSeconds } : {}),
    buttons: buttons.map((b): DraftButton => {
      const type = String(b.type ?? '').toUpperCase();
      const text = String(b.text ?? '');
      if (type === 'URL') {
        const e = b.example;
        return {
          type: 'URL',
          text,
          url: String(b.url ?? ''),
          ...(Array.isArray(e) && e[0] !== undefined ? { example: String(e[0]) } : typeof e === 'string' ? { example: e } : {}),
        };
      }
      if (type === 'PHONE_NUMBER') return { type: 'PHONE_NUMBER', text, phone: String(b.phone_number ?? '') };
      if (type === 'COPY_CODE') return { type: 'COPY_CODE', example: String(Array.isArray(b.example) ? b.example[0] : (b.example ?? '')) };
      return { type: 'QUICK_REPLY', text, ...(optOutTexts.some((o) => o.toLowerCase() === text.toLowerCase()) ? { optOut: true } : {}) };
    }),
  };
}

/** An empty draft for the editor. */
export function emptyDraft(language: string): TemplateDraft {
  return { name: '', language, category: 'MARKETING', parameterFormat: 'positional', body: { text: '', examples: {} }, buttons: [] };
}
