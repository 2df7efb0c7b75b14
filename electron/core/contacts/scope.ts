/**
 * What the ContactsService modules share (reads.ts, editing.ts, consent-changes.ts, erasure.ts,
 * audiences.ts, segments.ts, mappings.ts): the core context, the repositories, and the
 * Db for the modules that still take it (consent ledger, holds, erasure records, rules, search).
 */
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import type { ContactRepository, SegmentRepository } from './store';

export interface ContactsScope {
  readonly ctx: CoreContext;
  readonly db: Db;
  readonly store: ContactRepository;
  readonly segments: SegmentRepository;
  now(): number;
  defaultCountry(): string;
}
