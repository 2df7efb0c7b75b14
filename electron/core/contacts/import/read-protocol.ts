import type { MessagePort } from 'node:worker_threads';
import type { AttributeType, ImportEncoding, ImportFormat, MappingEntry } from '../../../../shared/contract/contacts';
import type { ErasureSnapshot } from '../../privacy/store/erasures';
import type { StagedBatch } from './stage-rows';

/** What an import's reading thread is given (read-worker.ts). */
export interface ReadWorkerData {
  filePath: string;
  encoding: ImportEncoding | undefined;
  sheet: string | undefined;
  mapping: MappingEntry[];
  defaultCountry: string;
  /** The store's attribute definitions, lower-cased name → type. */
  existingDefs: [string, AttributeType][];
  erasures: ErasureSnapshot | null;
  searchWords: boolean;
  /** File rows per staged batch. */
  batchRows: number;
  /** Batches the thread may run ahead of the writer. */
  inFlight: number;
  /** Where the rows go when not to the core's thread: the saving thread's end of a channel. */
  rows?: MessagePort | undefined;
}

export interface OpenedInfo {
  headers: string[];
  format: ImportFormat;
  encoding: ImportEncoding;
  bytesTotal: number;
  consentColumn: string | null;
}

export type FromReader =
  | ({ type: 'opened' } & OpenedInfo)
  | { type: 'typed'; attrTypes: [string, AttributeType][] }
  | { type: 'batch'; batch: StagedBatch; bytesRead: number }
  /** Every row was sent; `cpuMs`: the reading thread's CPU time (null where Node cannot tell). */
  | { type: 'end'; cpuMs: number | null }
  | { type: 'error'; code: string; message: string; details?: unknown };

/** The writer took a batch: the thread may read one more. */
export type ToReader = { type: 'more' };
