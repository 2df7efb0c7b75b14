/**
 * An import's rows, read and validated: on a thread of their own (read-worker.ts) so the core's
 * thread only writes what they produce — the two overlap on two cores, and the core keeps
 * answering calls while a file is read. Where the thread's code is not there (a bundle built
 * without it), the same work runs on the core's thread between event-loop turns.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import type { AttributeType, ImportEncoding, ImportFormat, MappingEntry } from '../../../../shared/contract/contacts';
import { PacerError } from '../../errors';
import type { ErrorCode } from '../../../../shared/contract/result';
import { erasureMatcher, type ErasureSnapshot } from '../../privacy/store/erasures';
import { workerScript } from '../../threads/worker-script';
import type { FromReader, OpenedInfo, ReadWorkerData, ToReader } from './read-protocol';
import { attributeTypes, resolveMapping, rowStager, type StagedBatch } from './stage-rows';
import { openTable } from './source';

export const READ_WORKER_BUNDLE_NAME = 'import-read-worker.mjs';

export interface StagedReader extends OpenedInfo {
  /** Known once the first rows were read (attribute types guessed from them). */
  attrTypes(): Map<string, AttributeType>;
  bytesRead(): number;
  batches(): AsyncGenerator<StagedBatch>;
  close(): void;
}

export interface ReadOptions {
  filePath: string;
  encoding: ImportEncoding | undefined;
  sheet: string | undefined;
  mapping: MappingEntry[];
  defaultCountry: string;
  existingDefs: Map<string, AttributeType>;
  erasures: ErasureSnapshot | null;
  searchWords: boolean;
  /** False: read on the core's thread (the fallback; tests compare the two). */
  onThread?: boolean;
}

/** File rows per staged batch: the core's thread writes one between two turns of its event loop. */
const BATCH_ROWS = 2000;
const IN_FLIGHT = 8;

export async function openStagedReader(o: ReadOptions): Promise<StagedReader> {
  const script = readThreadScript(o);
  return script ? threaded(o, script) : inThread(o);
}

/** The reading thread's script, or null where it cannot start (the core's thread reads then). */
export function readThreadScript(o: Pick<ReadOptions, 'onThread'>): ReturnType<typeof workerScript> | null {
  // PACER_IMPORT_READ_THREAD=off: the benchmark's side-by-side comparison with the core's thread.
  if (o.onThread === false || process.env.PACER_IMPORT_READ_THREAD === 'off') return null;
  try {
    return workerScript(READ_WORKER_BUNDLE_NAME, './read-worker.ts', import.meta.url);
  } catch {
    return null;
  }
}

/**
 * Starts the reading thread with its rows going to `rows` (the saving thread's end of a channel,
 * save-thread.ts). Resolves with the file's description once it opened; rejects with the file's
 * coded error when it cannot be read at all. Its later errors travel with its rows; `onDied` is
 * told only when the thread itself stops without saying why (then nothing reaches `rows`).
 */
export function startRowsThread(
  o: ReadOptions,
  script: ReturnType<typeof workerScript>,
  rows: MessagePort,
  onDied: (e: PacerError) => void,
): { opened: Promise<OpenedInfo>; stop(): Promise<number> } {
  let stopping = false;
  const worker = new Worker(script.url, {
    workerData: workerDataOf(o, rows),
    transferList: [rows],
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  const opened = new Promise<OpenedInfo>((resolve, reject) => {
    const died = (e: PacerError) => {
      reject(e);
      if (!stopping) onDied(e);
    };
    worker.on('message', (m: FromReader) => {
      if (m.type === 'opened') {
        const { headers, format, encoding, bytesTotal, consentColumn } = m;
        resolve({ headers, format, encoding, bytesTotal, consentColumn });
      } else if (m.type === 'error') reject(new PacerError(m.code as ErrorCode, m.message, m.details));
    });
    worker.on('error', (e) => died(new PacerError('internal', e.message)));
    worker.on('exit', (code) => {
      if (code !== 0) died(new PacerError('internal', `the import's reading thread stopped (exit ${code})`));
    });
  });
  // Once it opened, later rejections are no one's answer (the rows channel carries the errors).
  opened.catch(() => undefined);
  return {
    opened,
    stop: () => {
      stopping = true;
      return worker.terminate();
    },
  };
}

function workerDataOf(o: ReadOptions, rows?: MessagePort): ReadWorkerData {
  return {
    filePath: o.filePath,
    encoding: o.encoding,
    sheet: o.sheet,
    mapping: o.mapping,
    defaultCountry: o.defaultCountry,
    existingDefs: [...o.existingDefs],
    erasures: o.erasures,
    searchWords: o.searchWords,
    batchRows: BATCH_ROWS,
    inFlight: IN_FLIGHT,
    rows,
  };
}

function threaded(o: ReadOptions, script: ReturnType<typeof workerScript>): Promise<StagedReader> {
  const data = workerDataOf(o);
  // A small young generation: the thread's garbage is short-lived batches, and V8's default (tens of
  // MB of semi-space) pushed a million-row import's peak RSS past 500 MB (558 → 442 MB measured).
  const worker = new Worker(script.url, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  // Messages wait here until the writer asks for them; the thread runs at most IN_FLIGHT ahead.
  const queue: FromReader[] = [];
  let notify: (() => void) | null = null;
  let failed: Error | null = null;
  const push = (m: FromReader) => {
    queue.push(m);
    notify?.();
    notify = null;
  };
  worker.on('message', push);
  worker.on('error', (e) => push({ type: 'error', code: 'internal', message: e.message }));
  worker.on('exit', (code) => {
    if (code !== 0) push({ type: 'error', code: 'internal', message: `the import's reading thread stopped (exit ${code})` });
  });
  const next = async (): Promise<FromReader> => {
    while (!queue.length) await new Promise<void>((r) => (notify = r));
    const m = queue.shift()!;
    if (m.type === 'error') {
      failed = new PacerError(m.code as ErrorCode, m.message, m.details);
      throw failed;
    }
    return m;
  };
  let bytes = 0;
  let types = new Map<string, AttributeType>();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    void worker.terminate();
  };
  return next().then(
    (first) => {
      if (first.type !== 'opened') throw new Error(`the import's reading thread said ${first.type} first`);
      const { headers, format, encoding, bytesTotal, consentColumn } = first;
      return {
        headers,
        format,
        encoding,
        bytesTotal,
        consentColumn,
        attrTypes: () => types,
        bytesRead: () => bytes,
        close,
        async *batches() {
          for (;;) {
            const m = await next();
            if (m.type === 'end') return;
            if (m.type === 'typed') types = new Map(m.attrTypes);
            else if (m.type === 'batch') {
              bytes = m.bytesRead;
              worker.postMessage({ type: 'more' } satisfies ToReader);
              yield m.batch;
            }
          }
        },
      };
    },
    (e: unknown) => {
      close();
      throw e;
    },
  );
}

async function inThread(o: ReadOptions): Promise<StagedReader> {
  const source = await openTable(o.filePath, { encoding: o.encoding, sheet: o.sheet });
  try {
    const map = resolveMapping(o.mapping, source.headers);
    let types = new Map<string, AttributeType>();
    return {
      headers: source.headers,
      format: source.format as ImportFormat,
      encoding: source.encoding,
      bytesTotal: source.bytesTotal,
      consentColumn: map.consent === null ? null : source.headers[map.consent]!,
      attrTypes: () => types,
      bytesRead: () => source.bytesRead(),
      close: () => source.close(),
      async *batches() {
        let stage: ReturnType<typeof rowStager> | null = null;
        for await (const rows of source.batches()) {
          if (!stage) {
            types = attributeTypes(map, o.existingDefs, rows);
            stage = rowStager({
              map,
              defaultCountry: o.defaultCountry,
              attrTypes: types,
              erased: o.erasures && erasureMatcher(o.erasures),
              searchWords: o.searchWords,
            });
          }
          for (let i = 0; i < rows.length; i += BATCH_ROWS) {
            yield stage(rows.slice(i, i + BATCH_ROWS));
            await new Promise<void>((r) => setImmediate(r));
          }
        }
      },
    };
  } catch (e) {
    source.close();
    throw e;
  }
}
