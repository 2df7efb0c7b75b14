/**
 * Template creation, editing and deletion as the Business Management API does them, for the
 * Sandbox: a create is checked like Meta checks it (the rules of shared/templates/draft.ts, a
 * duplicate name + language, an example handle from the resumable upload API), answered
 * `{id, status: PENDING, category}`, and reviewed after REVIEW_MS of sandbox time with a
 * `message_template_status_update` webhook. Review decisions are deterministic so they can be
 * tried on purpose (docs/sandbox.md "Template review"):
 * - a name starting with `reject_` → REJECTED, INVALID_FORMAT;
 * - a UTILITY template whose text reads as promotion (sale, discount, % off, coupon, מבצע, הנחה,
 *   優惠, 折扣) → REJECTED, INCORRECT_CATEGORY;
 * - anything else → APPROVED.
 */
import { GraphError } from './graph-errors';
import type { SandboxWorld, TemplateState } from './world';
import { draftFromComponents, validateDraft } from '../../../shared/templates/draft';
import { MARKETING_TTL_MAX_S, MARKETING_TTL_MIN_S } from '../../../shared/message-ttl';

export const REVIEW_MS = 5_000;
const PROMOTIONAL = /\b(sale|discount|coupon|promo(tion)?|% off)\b|מבצע|הנחה|優惠|折扣/i;

type Body = Record<string, unknown>;

function invalid(details: string, subcode = 2388299): GraphError {
  return new GraphError(100, details, { subcode, message: `Invalid parameter: ${details}` });
}

export class TemplateSubmissions {
  constructor(private readonly world: SandboxWorld) {}

  /** POST /{waba-id}/message_templates */
  create(wabaId: string, body: unknown): { id: string; status: 'PENDING'; category: string } {
    const b = (body ?? {}) as Body;
    const name = typeof b.name === 'string' ? b.name : '';
    const language = typeof b.language === 'string' ? b.language : '';
    const category = typeof b.category === 'string' ? b.category.toUpperCase() : '';
    if (!name || !language || !category) throw invalid('name, language and category are required', 2388043);
    if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(category))
      throw invalid(`category must be MARKETING, UTILITY or AUTHENTICATION, got ${category}`, 2388043);
    const components = this.components(b);
    const ttl = this.ttl(b, category);
    const existing = this.world.findTemplate(wabaId, name, language);
    if (existing && existing.status !== 'DELETED') throw invalid(`Content in this language already exists: ${name} (${language})`, 2388024);
    this.check(name, language, category, b.parameter_format, components);
    if (existing) this.world.templates.delete(existing.id);
    const id = this.world.addTemplate(
      {
        name,
        language,
        category,
        status: 'PENDING',
        components,
        parameter_format: String(b.parameter_format ?? 'positional').toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL',
        ...(ttl !== undefined ? { message_send_ttl_seconds: ttl } : {}),
      },
      wabaId,
    );
    this.scheduleReview(this.world.templates.get(id)!);
    return { id, status: 'PENDING', category };
  }

  /** POST /{template-id} with new components (and category): back to review. */
  edit(t: TemplateState, body: unknown): { success: true } {
    const b = (body ?? {}) as Body;
    if (t.status === 'PENDING') throw invalid('The template is in review and cannot be edited now', 2388025);
    if (t.status === 'DELETED' || t.status === 'PENDING_DELETION') throw invalid('The template is deleted', 2388025);
    const components = b.components === undefined ? t.components : this.components(b);
    const category = typeof b.category === 'string' ? b.category.toUpperCase() : t.category;
    this.check(t.name, t.language, category, t.parameter_format, components);
    t.components = components as TemplateState['components'];
    t.category = category as TemplateState['category'];
    t.rejected_reason = undefined;
    this.world.setTemplateStatus(t, 'PENDING');
    this.scheduleReview(t);
    return { success: true };
  }

  /** DELETE /{waba-id}/message_templates?name=…[&hsm_id=…] */
  remove(wabaId: string, q: URLSearchParams): { success: true } {
    const name = q.get('name');
    if (!name) throw invalid('name is required', 2388043);
    const hsmId = q.get('hsm_id');
    const targets = this.world.templatesOf(wabaId).filter((t) => t.name === name && (!hsmId || t.id === hsmId));
    if (!targets.length) throw invalid(`Message template "${name}" not found`, 2388047);
    for (const t of targets) this.world.setTemplateStatus(t, 'DELETED');
    return { success: true };
  }

  /**
   * `message_send_ttl_seconds` (reference §2.4): for marketing 12 h to 30 days (Meta "Configure
   * message time-to-live"); refused outside it, and on a category the Sandbox does not model a TTL for.
   */
  private ttl(b: Body, category: string): number | undefined {
    const v = b.message_send_ttl_seconds;
    if (v === undefined) return undefined;
    if (category !== 'MARKETING')
      throw invalid('message_send_ttl_seconds is only modelled for MARKETING templates in the Sandbox', 2388043);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < MARKETING_TTL_MIN_S || v > MARKETING_TTL_MAX_S)
      throw invalid(
        `message_send_ttl_seconds must be ${MARKETING_TTL_MIN_S} to ${MARKETING_TTL_MAX_S} for MARKETING, got ${String(v)}`,
        2388043,
      );
    return v;
  }

  private components(b: Body): Record<string, unknown>[] {
    if (!Array.isArray(b.components) || !b.components.length) throw invalid('components must be a non-empty array', 2388043);
    return b.components as Record<string, unknown>[];
  }

  private check(name: string, language: string, category: string, format: unknown, components: readonly Record<string, unknown>[]): void {
    for (const c of components) {
      const handle = (c.example as { header_handle?: unknown } | undefined)?.header_handle;
      if (String(c.type).toUpperCase() === 'HEADER' && String(c.format ?? 'TEXT').toUpperCase() !== 'TEXT') {
        if (!Array.isArray(handle) || typeof handle[0] !== 'string' || !this.world.uploadHandles.has(handle[0])) {
          throw invalid('A media header needs example.header_handle from the Resumable Upload API', 2388273);
        }
      }
    }
    if (category === 'AUTHENTICATION') return; // Meta writes the body of authentication templates itself
    const draft = draftFromComponents({ name, language, category, parameterFormat: String(format ?? 'positional') }, components as never);
    const issues = validateDraft(draft, { headerMediaReady: true });
    if (issues.length) throw invalid(`The template does not follow the rules: ${issues.map((i) => `${i.field} ${i.code}`).join(', ')}`);
  }

  private scheduleReview(t: TemplateState): void {
    const generation = t.last_updated_time;
    this.world.after(REVIEW_MS, () => {
      if (t.status !== 'PENDING' || t.last_updated_time !== generation) return; // edited or deleted meanwhile
      const text = (t.components as { text?: string }[]).map((c) => c.text ?? '').join('\n');
      if (t.name.startsWith('reject_')) this.world.setTemplateStatus(t, 'REJECTED', 'INVALID_FORMAT');
      else if (t.category === 'UTILITY' && PROMOTIONAL.test(text)) this.world.setTemplateStatus(t, 'REJECTED', 'INCORRECT_CATEGORY');
      else this.world.setTemplateStatus(t, 'APPROVED');
    });
  }
}
