import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import type { webhooksMethods } from '../../../shared/contract/webhooks';
import { webhooksFor } from './service';

type WebhooksMethod = keyof typeof webhooksMethods;

export function webhooksHandlers(ctx: CoreContext): HandlerGroup<WebhooksMethod> {
  // Built on first call: the core opens fast and the webhook tables are touched only when used.
  return {
    'webhooks:info': () => webhooksFor(ctx).info(),
    'webhooks:test': () => webhooksFor(ctx).test(),
  };
}
