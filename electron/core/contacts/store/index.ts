/**
 * The contacts domain's storage as the ContactsService modules see it: ContactRepository (contact
 * rows, listing, tags, attributes, message history, erasure rows, overview counts, the filter
 * condition) and SegmentRepository (segments and saved import mappings), with their SQLite
 * implementation. Each method is the store function of the same name without its Db argument.
 *
 * Not behind these yet (they take the Db themselves, see docs/architecture.md "A second storage
 * engine"): the consent ledger (consent.ts), number holds (holds.ts), erasure records
 * (erasures.ts), the audience/segment rule compiler (rules.ts), the word index (search.ts) and the
 * import engine (import/).
 */
import type { Db } from '../../db/connection';
import { bindStore, type Bound } from '../../db/bind-store';
import * as contacts from './contacts';
import * as filter from './filter';
import * as segments from './segments';

export type { BaseRow, MessageRow, NewMessage, PageRequest } from './contacts';
export type { MappingRow, SegmentRow } from './segments';

export interface ContactRepository extends Bound<typeof contacts>, Bound<typeof filter> {
  /** Runs `fn` as one atomic unit (SQLite: a transaction; nested calls join the outer one). */
  transaction<T>(fn: () => T): T;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named interface a second engine implements
export interface SegmentRepository extends Bound<typeof segments> {}

export function sqliteContactRepository(db: Db): ContactRepository {
  return { ...bindStore(db, contacts), ...bindStore(db, filter), transaction: <T>(fn: () => T): T => db.transaction(fn)() };
}

export function sqliteSegmentRepository(db: Db): SegmentRepository {
  return bindStore(db, segments);
}
