import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import type { whatsappMethods } from '../../../shared/contract/whatsapp';
import { whatsappServices } from './index';
import { marketingStatus } from './mm-status';

type WhatsappMethod = keyof typeof whatsappMethods;

const asList = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export function whatsappHandlers(ctx: CoreContext): HandlerGroup<WhatsappMethod> {
  const { account, templates, startBackground } = whatsappServices(ctx);
  // The app and the harness keep templates and the account current; one-shot CLI commands do not.
  if (ctx.host !== 'cli') startBackground();
  return {
    'account:status': () => account.status(),
    'account:connect': (input) => account.connect(input),
    'account:use-sandbox': (input) => account.useSandbox(input),
    'account:disconnect': (input) => account.disconnect(input),
    'account:refresh': () => account.refresh(),
    'account:history': (input) => account.history(input),
    'account:profile-get': (input) => account.profileGet(input),
    'account:profile-update': (input) => account.profileUpdate(input),
    'templates:list': (f) => templates.list({
      ...(f.status ? { status: asList(f.status)! } : {}),
      ...(f.category ? { category: asList(f.category)! } : {}),
      ...(f.quality ? { quality: asList(f.quality)! } : {}),
      ...(f.language ? { language: f.language } : {}),
      ...(f.search ? { search: f.search } : {}),
      ...(f.wabaId ? { wabaId: f.wabaId } : {}),
      ...(f.includeDeleted ? { includeDeleted: true } : {}),
    }),
    'marketing:status': () => marketingStatus(ctx),
    'templates:sync': (input) => templates.sync(input),
    'templates:get': (sel) => templates.get(sel),
  };
}
