import type { EventMap, EventName } from '../../shared/contract';
import { api } from './client';

/**
 * Subscribes to a high-frequency core event (statuses, progress) and hands the listener every
 * payload received since the last flush, at most `hz` times a second — so 1,000 events/s cost the
 * UI ten renders, not a thousand. Returns the unsubscribe function.
 */
export function subscribeBatched<E extends EventName>(event: E, onBatch: (payloads: EventMap[E][]) => void, hz = 10): () => void {
  let buffer: EventMap[E][] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const batch = buffer;
    buffer = [];
    if (batch.length) onBatch(batch);
  };
  const off = api.on(event, (payload) => {
    buffer.push(payload);
    timer ??= setTimeout(flush, 1000 / hz);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
    flush();
  };
}
