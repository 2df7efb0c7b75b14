import type { WebhookEventMap, WebhookEventType } from './events';

/**
 * What a status handler answers: 'matched' when it found the message (a campaign's send), or
 * 'unmatched' when the wamid is unknown to it. A status no handler matched is kept as
 * pending_match and offered again later (see WebhookService.reofferPending).
 */
export type HandlerOutcome = 'matched' | 'unmatched' | void;

export type WebhookHandler<T extends WebhookEventType> = (event: WebhookEventMap[T]) => HandlerOutcome | Promise<HandlerOutcome>;

interface Registered {
  name: string;
  fn: (event: never) => HandlerOutcome | Promise<HandlerOutcome>;
}

/**
 * Domains subscribe here: `router.on('status', handler, { name: 'campaigns' })`. Handlers must be
 * idempotent (an event is handed over again if a later handler fails or Pacer stops mid-way) and
 * should throw only for transient trouble: a throw makes the inbox row retry with backoff.
 */
export class WebhookRouter {
  private readonly table = new Map<WebhookEventType, Registered[]>();

  on<T extends WebhookEventType>(type: T, handler: WebhookHandler<T>, opts: { name?: string } = {}): () => void {
    const list = this.table.get(type) ?? [];
    const entry: Registered = { name: opts.name ?? `${type}#${list.length + 1}`, fn: handler as Registered['fn'] };
    list.push(entry);
    this.table.set(type, list);
    return () => {
      const l = this.table.get(type);
      if (l)
        this.table.set(
          type,
          l.filter((e) => e !== entry),
        );
    };
  }

  handlers<T extends WebhookEventType>(type: T): readonly { name: string; fn: WebhookHandler<T> }[] {
    return (this.table.get(type) ?? []) as unknown as { name: string; fn: WebhookHandler<T> }[];
  }
}
