import type { Migration } from './types';

/**
 * The contact word index gets each run of three CJK characters as a word of its own
 * (contacts/search.ts cjkTokens): a search for a two- or three-character Chinese name is then one
 * exact word, answered by the index alone. Before, it was two two-character words plus a check of
 * every matching contact's name — ~10,000 encrypted rows read for a common given name on a million
 * contacts (name search p95 ~180 ms, docs/benchmarks.md).
 *
 * The index is contentless: its words cannot be added in SQL. It is emptied and its watermark set
 * back to 0; the background indexer (SearchIndexer, kicked at every start) rebuilds it in chunks,
 * and until it has, search scans the contacts it has not reached yet (complete, only slower).
 */
export const migration0021: Migration = {
  version: 21,
  name: 'search-cjk-trigrams',
  up: `
    INSERT INTO contacts_fts (contacts_fts) VALUES ('delete-all');
    DELETE FROM contacts_fts_pending;
    UPDATE app_meta SET value = '0' WHERE key = 'contacts.fts_upto';
  `,
};
