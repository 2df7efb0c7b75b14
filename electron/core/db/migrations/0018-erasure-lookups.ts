import type { Migration } from './types';

/**
 * Erasure finds a person's merged message statuses by their number (privacy/store/erase-wamids.ts:
 * the statuses' `recipient_id`, and through them the message ids that encode the number). Without
 * an index that is a scan of every status ever received, twice per erasure. Partial: an erased
 * row's `recipient_id` is NULL, and so are statuses Meta sent without one.
 */
export const migration0018: Migration = {
  version: 18,
  name: 'erasure-lookups',
  up: `
    CREATE INDEX webhook_message_status_recipient ON webhook_message_status(recipient_id) WHERE recipient_id IS NOT NULL;
  `,
};
