import type { Migration } from './types';

/**
 * Marketing Messages API for WhatsApp (docs/whatsapp.md, "Marketing Messages API").
 * - `template_category_notices`: Meta's *impending* template-category change (the 24-hour warning
 *   of `template_category_update`: `correct_category`, `category_update_timestamp`). It is only
 *   shown as a warning: the category used for routing and consent (wa_templates.category) changes
 *   when the *completed* webhook (`new_category`) or a sync says so, which also clears the notice.
 * - `mm_terms`: whether the business portfolio accepted the MM API terms, and how Pacer learned it
 *   (Meta's `account_update` MM_LITE_TERMS_SIGNED webhook, a strict-mode refusal, or the user).
 */
export const migration0013: Migration = {
  version: 13,
  name: 'marketing-messages',
  up: `
    CREATE TABLE template_category_notices (
      name              TEXT NOT NULL,
      language          TEXT NOT NULL,
      current_category  TEXT NOT NULL,
      correct_category  TEXT NOT NULL,
      effective_at      INTEGER,
      received_at       INTEGER NOT NULL,
      PRIMARY KEY (name, language)
    ) STRICT;

    CREATE TABLE mm_terms (
      business_id  TEXT PRIMARY KEY,
      state        TEXT NOT NULL CHECK (state IN ('accepted', 'not_accepted')),
      source       TEXT NOT NULL CHECK (source IN ('webhook', 'strict_refusal', 'marketing_send', 'user')),
      detail       TEXT,
      updated_at   INTEGER NOT NULL
    ) STRICT;
  `,
};
