/**
 * The builder's editable state and how it becomes a campaign draft (shared/contract/campaigns.ts).
 * Pure functions: parameter sources to the core's mapping syntax and back, the audience from
 * include/exclude choices, placeholders of a template.
 */
import type { CampaignDraft, CampaignSummary, UploadedHeaderMedia } from '../../../../shared/contract/campaigns';
import type { TemplateSummary } from '../../../../shared/contract/whatsapp';
import { splitTerms } from '../../../../shared/campaigns/param-terms';
import { initialRepeat, localZone, repeatFromSummary, repeatProblems, withRepeat, type RepeatState } from '../repeat';
import { ttlFromSeconds, ttlSeconds, type TtlUnit } from './ttl';

export const CONTACT_FIELDS = ['first_name', 'last_name', 'name', 'phone', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Where one template parameter's value comes from. Field and attribute sources always carry a fallback. */
export type ParamSource =
  | { kind: 'field'; field: ContactField; fallback: string }
  | { kind: 'attr'; name: string; fallback: string }
  | { kind: 'literal'; text: string };

export interface Placeholder {
  /** Mapping key: '1', 'first_name', 'header', 'button.0'. */
  key: string;
  component: 'header' | 'body' | 'button';
  /** The template's own example for it, when it has one. */
  example: string | null;
}

const VAR = /\{\{\s*([a-z0-9_]+)\s*\}\}/gi;
const varsIn = (text: string | undefined): string[] => [...new Set([...(text ?? '').matchAll(VAR)].map((m) => m[1]!))];

/** Every parameter the template needs, in the order the core maps them. */
export function placeholdersOf(t: TemplateSummary): Placeholder[] {
  const out: Placeholder[] = [];
  for (const c of t.components) {
    const type = c.type.toUpperCase();
    if (type === 'HEADER' && (c.format ?? 'TEXT').toUpperCase() === 'TEXT' && varsIn(c.text).length) {
      const ex = (c.example as { header_text?: unknown } | undefined)?.header_text;
      out.push({ key: 'header', component: 'header', example: Array.isArray(ex) && typeof ex[0] === 'string' ? ex[0] : null });
    }
    if (type === 'BODY') {
      const vars = varsIn(c.text);
      if (vars.every((v) => /^\d+$/.test(v))) vars.sort((a, b) => Number(a) - Number(b));
      const ex = c.example as { body_text?: unknown; body_text_named_params?: unknown } | undefined;
      const positional = Array.isArray(ex?.body_text) && Array.isArray(ex.body_text[0]) ? (ex.body_text[0] as unknown[]) : [];
      const named = Array.isArray(ex?.body_text_named_params)
        ? (ex.body_text_named_params as { param_name?: string; example?: string }[])
        : [];
      for (const v of vars) {
        const e = /^\d+$/.test(v) ? positional[Number(v) - 1] : named.find((n) => n.param_name === v)?.example;
        out.push({ key: v, component: 'body', example: typeof e === 'string' ? e : null });
      }
    }
    if (type === 'BUTTONS') {
      (c.buttons ?? []).forEach((b, index) => {
        if (b.type.toUpperCase() === 'URL' && varsIn(b.url).length) {
          out.push({ key: `button.${index}`, component: 'button', example: typeof b.url === 'string' ? b.url : null });
        }
      });
    }
  }
  return out;
}

/**
 * An uploaded header file as the campaign keeps it: the media id, and what the UI shows about the
 * file (older campaigns made with a bare media id have only the id).
 */
export type HeaderFile = Pick<UploadedHeaderMedia, 'id'> & Partial<Omit<UploadedHeaderMedia, 'id'>>;

export function headerMediaOf(t: TemplateSummary | null): 'IMAGE' | 'VIDEO' | 'DOCUMENT' | null {
  const f = t?.headerFormat?.toUpperCase();
  return f === 'IMAGE' || f === 'VIDEO' || f === 'DOCUMENT' ? f : null;
}

const quote = (text: string) => `"${text.replace(/["\\|]/g, (c) => `\\${c}`)}"`;

/** The core's source syntax (`first_name|"friend"`), or null while the source is incomplete (never an empty parameter). */
export function sourceToString(s: ParamSource): string | null {
  if (s.kind === 'literal') return s.text.trim() ? quote(s.text.trim()) : null;
  if (!s.fallback.trim()) return null;
  if (s.kind === 'attr') return s.name.trim() ? `attr.${s.name.trim()}|${quote(s.fallback.trim())}` : null;
  return `${s.field}|${quote(s.fallback.trim())}`;
}

const unquote = (t: string) => (t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1).replace(/\\(["\\|])/g, '$1') : t);

/** Reads a saved mapping back into the editor (first term is the source, the last one the fallback). */
export function sourceFromString(source: string | undefined): ParamSource {
  if (!source) return { kind: 'field', field: 'first_name', fallback: '' };
  const terms = splitTerms(source).map((t) => t.trim());
  const first = terms[0] ?? '';
  const fallback = terms.length > 1 ? unquote(terms[terms.length - 1]!) : '';
  if (first.startsWith('"')) return { kind: 'literal', text: unquote(first) };
  if (first.startsWith('attr.')) return { kind: 'attr', name: first.slice(5), fallback };
  if ((CONTACT_FIELDS as readonly string[]).includes(first)) return { kind: 'field', field: first as ContactField, fallback };
  return { kind: 'literal', text: unquote(first) };
}

/** A sensible first source for a placeholder: names go to the first name, everything else to its example as fixed text. */
export function defaultSource(p: Placeholder, index: number): ParamSource {
  if (p.component === 'body' && (index === 0 || /name/i.test(p.key))) return { kind: 'field', field: 'first_name', fallback: '' };
  return { kind: 'literal', text: '' };
}

export type AudienceMode = 'all' | 'build' | 'expression';

export interface AudienceChoice {
  mode: AudienceMode;
  /** 'tag:NAME' / 'segment:NAME' terms. */
  include: string[];
  match: 'any' | 'all';
  exclude: string[];
  expression: string;
}

export const term = (kind: 'tag' | 'segment', name: string) =>
  `${kind}:${/^[\p{L}\p{N}_.-]+$/u.test(name) ? name : `"${name.replace(/"/g, '')}"`}`;

/** The audience expression: (a or b) and not (c or d); 'all' when nothing is included. */
export function audienceExpression(a: AudienceChoice): string {
  if (a.mode === 'all') return 'all';
  if (a.mode === 'expression') return a.expression.trim();
  const group = (terms: string[], op: 'or' | 'and') => (terms.length === 1 ? terms[0]! : `(${terms.join(` ${op} `)})`);
  const inc = a.include.length ? group(a.include, a.match === 'all' ? 'and' : 'or') : 'all';
  return a.exclude.length ? `${inc} and not ${group(a.exclude, 'or')}` : inc;
}

export interface BuilderState {
  name: string;
  templateId: string | null;
  params: Record<string, ParamSource>;
  headerUrl: string;
  /** A file uploaded for the media header (campaigns:upload-media); takes the place of the URL. */
  headerFile: HeaderFile | null;
  audience: AudienceChoice;
  schedule: {
    mode: 'now' | 'at' | 'local_window';
    /** datetime-local value (no zone): read in `tz`. */
    at: string;
    tz: string;
    windowFrom: string;
    windowTo: string;
    quietOn: boolean;
    quietFrom: string;
    quietTo: string;
    /** Recurring series: none, daily or weekly (../repeat.ts). */
    repeat: RepeatState;
  };
  /** Reserve margin as a percentage (default 10). */
  marginPct: number;
  rate: number;
  capOn: boolean;
  capMax: number;
  capDays: number;
  /** Marketing "Deliver only within" (ttl.ts): off, or a number of minutes / hours / days. */
  ttlOn?: boolean;
  ttlValue?: number;
  ttlUnit?: TtlUnit;
  /** Over the 24-hour limit: send only what the budget allows at start (options.today_only). */
  todayOnly?: boolean;
}

export function initialState(): BuilderState {
  return {
    name: '',
    templateId: null,
    params: {},
    headerUrl: '',
    headerFile: null,
    audience: { mode: 'all', include: [], match: 'any', exclude: [], expression: '' },
    schedule: {
      mode: 'now',
      at: '',
      tz: localZone(),
      windowFrom: '09:00',
      windowTo: '20:00',
      quietOn: false,
      quietFrom: '21:00',
      quietTo: '08:00',
      repeat: initialRepeat(),
    },
    marginPct: 10,
    rate: 80,
    capOn: false,
    capMax: 1,
    capDays: 7,
  };
}

/** Problems the user must fix before the draft can be planned or saved (keys into `builder.invalid.*`). */
export function problemsOf(s: BuilderState, t: TemplateSummary | null): string[] {
  const out: string[] = [];
  if (!s.name.trim()) out.push('name');
  if (!t) out.push('template');
  else {
    if (!t.sendable) out.push('templateNotApproved');
    for (const p of placeholdersOf(t))
      if (!s.params[p.key] || sourceToString(s.params[p.key]!) === null) {
        out.push('params');
        break;
      }
    if (headerMediaOf(t) && !s.headerFile && !/^https?:\/\/\S+$/.test(s.headerUrl.trim())) out.push('headerMedia');
  }
  if (!audienceExpression(s.audience)) out.push('audience');
  if (s.schedule.mode === 'at' && !s.schedule.at && s.schedule.repeat.kind === 'none') out.push('scheduleAt');
  out.push(...repeatProblems(s.schedule.repeat));
  if (s.schedule.mode === 'local_window' && (!s.schedule.windowFrom || !s.schedule.windowTo)) out.push('window');
  return out;
}

/** The draft the core plans and saves. `null` when the template is not chosen yet. */
export function toDraft(s: BuilderState, t: TemplateSummary | null): CampaignDraft | null {
  if (!t) return null;
  const params: Record<string, string> = {};
  for (const p of placeholdersOf(t)) {
    const src = s.params[p.key];
    const v = src ? sourceToString(src) : null;
    if (v) params[p.key] = v;
  }
  const sc = s.schedule;
  const quiet = sc.quietOn && sc.quietFrom && sc.quietTo ? `${sc.quietFrom}-${sc.quietTo}` : null;
  return {
    name: s.name.trim() || t.name,
    template: { name: t.name, language: t.language },
    audience: audienceExpression(s.audience) || 'all',
    params,
    header_media: !headerMediaOf(t) ? null : s.headerFile ? { ...s.headerFile } : s.headerUrl.trim() ? { link: s.headerUrl.trim() } : null,
    schedule: withRepeat(
      {
        mode: sc.mode,
        at: sc.mode !== 'now' && sc.at ? (sc.at.length === 16 ? `${sc.at}:00` : sc.at) : null,
        tz: sc.tz || null,
        window: sc.mode === 'local_window' ? `${sc.windowFrom}-${sc.windowTo}` : null,
        quiet,
      },
      sc.repeat,
    ),
    options: {
      margin: Math.max(0, Math.min(90, s.marginPct)) / 100,
      rate: Math.max(1, Math.min(1000, Math.round(s.rate) || 80)),
      frequency_cap: s.capOn ? { max: Math.max(1, s.capMax), days: Math.max(1, s.capDays) } : null,
      ...(s.todayOnly ? { today_only: true } : {}),
      // Only marketing has a TTL (send-gate.ts applies it to marketing sends alone).
      ...(s.ttlOn && t.category === 'MARKETING' ? { ttl: ttlSeconds(s.ttlValue ?? 2, s.ttlUnit ?? 'hour') } : {}),
    },
  };
}

function ttlState(seconds: number): Pick<BuilderState, 'ttlOn' | 'ttlValue' | 'ttlUnit'> {
  const { value, unit } = ttlFromSeconds(seconds);
  return { ttlOn: true, ttlValue: value, ttlUnit: unit };
}

/** A saved campaign back into the editor. */
export function fromSummary(c: CampaignSummary, templates: TemplateSummary[]): BuilderState {
  const base = initialState();
  const t = templates.find((x) => x.name === c.template.name && x.language === c.template.language) ?? null;
  const params: Record<string, ParamSource> = {};
  for (const [k, v] of Object.entries(c.params)) params[k] = sourceFromString(v);
  const [wf, wt] = (c.schedule.window ?? '').split('-').map((x) => x.trim());
  const [qf, qt] = (c.schedule.quiet ?? '').split('-').map((x) => x.trim());
  return {
    ...base,
    name: c.name,
    templateId: t?.id ?? null,
    params,
    headerUrl: c.header_media && 'link' in c.header_media ? c.header_media.link : '',
    headerFile: c.header_media && 'id' in c.header_media ? { ...c.header_media } : null,
    audience: c.audience.trim().toLowerCase() === 'all' ? base.audience : { ...base.audience, mode: 'expression', expression: c.audience },
    schedule: {
      ...base.schedule,
      mode: c.schedule.mode,
      at: c.schedule.at ? c.schedule.at.slice(0, 16) : '',
      tz: c.schedule.tz ?? base.schedule.tz,
      windowFrom: wf || base.schedule.windowFrom,
      windowTo: wt || base.schedule.windowTo,
      quietOn: !!c.schedule.quiet,
      quietFrom: qf || base.schedule.quietFrom,
      quietTo: qt || base.schedule.quietTo,
      repeat: repeatFromSummary(c),
    },
    marginPct: Math.round((c.options.margin ?? 0.1) * 100),
    rate: c.options.rate ?? 80,
    capOn: !!c.options.frequency_cap,
    capMax: c.options.frequency_cap?.max ?? 1,
    capDays: c.options.frequency_cap?.days ?? 7,
    todayOnly: c.options.today_only ?? false,
    ...(c.options.ttl ? ttlState(c.options.ttl) : {}),
  };
}
