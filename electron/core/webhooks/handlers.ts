import type { HandlerGroup } from '../api/handlers';
import type { webhooksMethods } from '../../../shared/contract/webhooks';
import type { WebhookService } from './service';

type WebhooksMethod = keyof typeof webhooksMethods;

export function webhooksHandlers(webhooks: WebhookService): HandlerGroup<WebhooksMethod> {
  return {
    'webhooks:info': () => webhooks.info(),
    'webhooks:test': () => webhooks.test(),
  };
}
