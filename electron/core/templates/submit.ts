/**
 * Creating, editing and deleting templates on Meta (Business Management API). The draft is checked
 * with the same rules the editor shows (shared/templates/draft.ts) before anything goes out; a
 * media header's example is uploaded through the resumable upload API first. After Meta answers,
 * the local copy is refreshed with a sync of that WABA, and review results arrive later by the
 * `message_template_status_update` webhook (TemplatesService applies it) or the next sync.
 */
import fs from 'node:fs';
import type { AccountService } from '../account/service';
import type { CoreContext } from '../context';
import { notFound, PacerError } from '../errors';
import { HEADER_MEDIA_TYPES, sniffMediaType } from '../files/media-type';
import { GraphApiError } from '../whatsapp/client';
import { normalizeLanguage } from '../whatsapp/normalize';
import type { TemplatesService } from './service';
import type { TemplateDetail } from '../../../shared/contract/whatsapp';
import { draftToCreateRequest, draftComponents, validateDraft, type TemplateDraft } from '../../../shared/templates/draft';

/** Where the opt-out button texts live (the webhook settings): a tap on one opts the person out. */
export interface OptOutButtons {
  list(): readonly string[];
  set(buttons: string[]): void;
}

const KIND_OF_FORMAT = { IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document' } as const;

export class TemplateSubmitService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly account: AccountService,
    private readonly templates: TemplatesService,
    private readonly optOut: OptOutButtons,
  ) {}

  async create(draft: TemplateDraft, opts: { wabaId?: string | undefined } = {}): Promise<TemplateDetail> {
    this.check(draft);
    const wabaId = this.waba(opts.wabaId);
    const client = await this.account.ready();
    const handle = await this.headerHandle(draft);
    let created: { id: string };
    try {
      created = await client.createTemplate(
        wabaId,
        draftToCreateRequest({ ...draft, language: normalizeLanguage(draft.language) }, handle),
      );
    } catch (e) {
      throw this.graphFailure(e);
    }
    this.rememberOptOut(draft);
    this.ctx.log.info('template submitted', { id: created.id, name: draft.name, language: draft.language, category: draft.category });
    await this.templates.sync({ wabaId });
    return this.templates.get({ id: created.id });
  }

  /** Edits components (and category) of a template; Meta sends it back to review. */
  async edit(id: string, draft: TemplateDraft): Promise<TemplateDetail> {
    const row = this.templates.store.byId(id);
    if (!row) throw notFound(`No template with id ${id}. Run a template sync first.`);
    if (row.name !== draft.name || normalizeLanguage(row.language) !== normalizeLanguage(draft.language)) {
      throw new PacerError('bad_input', "A template's name and language cannot be changed; duplicate it instead.", {
        reason: 'name_language_fixed',
      });
    }
    this.check(draft);
    const client = await this.account.ready();
    const handle = await this.headerHandle(draft);
    try {
      await client.editTemplate(id, { category: draft.category, components: draftComponents(draft, handle) });
    } catch (e) {
      throw this.graphFailure(e);
    }
    this.rememberOptOut(draft);
    this.ctx.log.info('template edited', { id, name: draft.name, language: draft.language });
    await this.templates.sync({ wabaId: row.waba_id });
    return this.templates.get({ id });
  }

  /** Deletes one language (by id) or every language of a name. */
  async remove(sel: { id: string } | { name: string; wabaId?: string | undefined }): Promise<{ deleted: string[] }> {
    const client = await this.account.ready();
    let wabaId: string;
    let name: string;
    let hsmId: string | undefined;
    if ('id' in sel) {
      const row = this.templates.store.byId(sel.id);
      if (!row) throw notFound(`No template with id ${sel.id}.`);
      ({ waba_id: wabaId, name } = row);
      hsmId = row.id;
    } else {
      wabaId = this.waba(sel.wabaId);
      name = sel.name;
      if (!this.templates.store.forWaba(wabaId).some((t) => t.name === name && t.status !== 'DELETED'))
        throw notFound(`No template named ${name}.`);
    }
    const ids = hsmId
      ? [hsmId]
      : this.templates.store
          .forWaba(wabaId)
          .filter((t) => t.name === name && t.status !== 'DELETED')
          .map((t) => t.id);
    try {
      await client.deleteTemplate(wabaId, name, hsmId);
    } catch (e) {
      throw this.graphFailure(e);
    }
    this.ctx.log.info('template deleted', { name, ids });
    await this.templates.sync({ wabaId });
    return { deleted: ids };
  }

  private check(draft: TemplateDraft): void {
    const issues = validateDraft(draft);
    if (issues.length)
      throw new PacerError(
        'bad_input',
        `The template has ${issues.length} problem(s): ${issues.map((i) => `${i.field}: ${i.code}`).join(', ')}`,
        { reason: 'template_invalid', issues },
      );
  }

  private waba(wabaId: string | undefined): string {
    const conn = this.account.connection();
    if (!conn)
      throw new PacerError('unavailable', 'No WhatsApp account is connected. Run `pacer account connect` or use the Sandbox.', {
        reason: 'not_connected',
      });
    if (wabaId && wabaId !== conn.waba_id && !this.account.store.wabas().some((w) => w.id === wabaId))
      throw notFound(`WhatsApp Business Account ${wabaId} is not part of the connected account.`);
    return wabaId ?? conn.waba_id;
  }

  /** A media header needs an example: the staged file goes through the resumable upload API. */
  private async headerHandle(draft: TemplateDraft): Promise<string | undefined> {
    const h = draft.header;
    if (!h || h.format === 'TEXT') return undefined;
    if (!h.fileId) return h.handle;
    const staged = this.ctx.files.get(h.fileId);
    const bytes = fs.readFileSync(staged.path);
    const mime = sniffMediaType(bytes.subarray(0, 16));
    const type = mime ? HEADER_MEDIA_TYPES[mime] : undefined;
    if (!mime || !type || type.kind !== KIND_OF_FORMAT[h.format]) {
      throw new PacerError('bad_input', `${staged.name} is not a ${KIND_OF_FORMAT[h.format]} WhatsApp accepts`, {
        reason: 'header_media_type',
        params: { file: staged.name, kind: KIND_OF_FORMAT[h.format] },
      });
    }
    if (bytes.length > type.maxMb * 1024 * 1024)
      throw new PacerError('bad_input', `${staged.name} is over ${type.maxMb} MB`, {
        reason: 'header_media_size',
        params: { file: staged.name, maxMb: type.maxMb },
      });
    const client = await this.account.ready();
    try {
      const app = await client.getApp();
      return await client.resumableUpload(app.id, { bytes, mimeType: mime, filename: staged.name });
    } catch (e) {
      throw this.graphFailure(e);
    }
  }

  /** A quick reply marked "opt-out" joins the webhook's opt-out buttons, so a tap on it opts out. */
  private rememberOptOut(draft: TemplateDraft): void {
    const texts = draft.buttons.flatMap((b) => (b.type === 'QUICK_REPLY' && b.optOut ? [b.text.trim()] : []));
    const known = this.optOut.list();
    const missing = texts.filter((t) => !known.some((k) => k.toLowerCase() === t.toLowerCase()));
    if (missing.length) this.optOut.set([...known, ...missing]);
  }

  /** Meta's refusal of the content is the user's to fix (bad_input with Meta's words); the rest is the account's. */
  private graphFailure(e: unknown): PacerError {
    if (e instanceof GraphApiError && e.httpStatus === 400 && e.code !== null && ![190, 10, 200, 368].includes(e.code)) {
      return new PacerError('bad_input', e.userMessage ?? e.details ?? e.message, {
        reason: 'meta_refused',
        graph: { code: e.code, subcode: e.subcode, title: e.userTitle, message: e.userMessage ?? e.details ?? e.message },
      });
    }
    return this.account.recordFailure(e);
  }
}
