import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import { PacerError } from '../errors';
import type { whatsappMethods } from '../../../shared/contract/whatsapp';

type WhatsappMethod = keyof typeof whatsappMethods;

/** Placeholder until the account and templates services land (same session): answers 'unavailable'. */
export function whatsappHandlers(_ctx: CoreContext): HandlerGroup<WhatsappMethod> {
  const pending = (): never => { throw new PacerError('unavailable', 'The WhatsApp account service is being built.'); };
  return {
    'account:status': pending,
    'account:connect': pending,
    'account:use-sandbox': pending,
    'account:disconnect': pending,
    'account:refresh': pending,
    'account:history': pending,
    'account:profile-get': pending,
    'account:profile-update': pending,
    'templates:list': pending,
    'templates:sync': pending,
    'templates:get': pending,
  };
}
