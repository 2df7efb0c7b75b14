import type { HandlerGroup } from '../api/handlers';
import type { whatsappMethods } from '../../../shared/contract/whatsapp';
import type { TemplatesService } from './service';
import type { TemplateSubmitService } from './submit';

type TemplatesMethod = Extract<keyof typeof whatsappMethods, `templates:${string}`>;

const asList = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** The templates' contract methods (shared/contract/whatsapp.ts), served by the one TemplatesService. */
export function templatesHandlers(templates: TemplatesService, submit: TemplateSubmitService): HandlerGroup<TemplatesMethod> {
  return {
    'templates:list': (f) =>
      templates.list({
        ...(f.status ? { status: asList(f.status)! } : {}),
        ...(f.category ? { category: asList(f.category)! } : {}),
        ...(f.quality ? { quality: asList(f.quality)! } : {}),
        ...(f.language ? { language: f.language } : {}),
        ...(f.search ? { search: f.search } : {}),
        ...(f.wabaId ? { wabaId: f.wabaId } : {}),
        ...(f.includeDeleted ? { includeDeleted: true } : {}),
      }),
    'templates:sync': (input) => templates.sync(input),
    'templates:get': (sel) => templates.get(sel),
    'templates:create': (input) => submit.create(input.draft, { wabaId: input.wabaId }),
    'templates:edit': (input) => submit.edit(input.id, input.draft),
    'templates:delete': (sel) => submit.remove(sel),
  };
}
