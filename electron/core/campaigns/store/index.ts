/**
 * The campaigns domain's storage, as the services see it: two repositories (interfaces) and the
 * SQLite implementation of both, built from the typed SQL functions of this folder.
 *
 * - CampaignRepository: campaign definitions and state, their event log, series occurrences, the rate card.
 * - LedgerRepository: the send ledger rows (campaign_recipients) and the messaging log.
 *
 * Each method is the store function of the same name without its first (Db) argument. A second
 * storage engine implements these interfaces (docs/architecture.md "A second storage engine").
 */
import type { Db } from '../../db/connection';
import * as campaigns from './campaigns';
import * as occurrences from './occurrences';
import * as rateCard from './rate-card';
import * as ledger from './ledger';
import { bindStore, type Bound } from '../../db/bind-store';

export type { DefinitionColumns } from './campaigns';
export type { NewRecipient, RecipientFilter } from './ledger';
export type { OccurrenceRecord } from './occurrences';

export interface CampaignRepository extends Bound<typeof campaigns>, Bound<typeof occurrences>, Bound<typeof rateCard> {
  /** Runs `fn` as one atomic unit (SQLite: a transaction; nested calls join the outer one). */
  transaction<T>(fn: () => T): T;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named interface a second engine implements
export interface LedgerRepository extends Bound<typeof ledger> {}

export function sqliteCampaignRepository(db: Db): CampaignRepository {
  return {
    ...bindStore(db, campaigns),
    ...bindStore(db, occurrences),
    ...bindStore(db, rateCard),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
  };
}

export function sqliteLedgerRepository(db: Db): LedgerRepository {
  return bindStore(db, ledger);
}
