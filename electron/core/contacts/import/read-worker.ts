/**
 * An import's reading thread (started by read-thread.ts): reads the file, validates every row and
 * makes its staged values and search words (stage-rows.ts) on the second core, while the core's
 * thread writes the batches it already sent. It runs at most `inFlight` batches ahead.
 *
 * Given a port of its own (`rows`), it sends its rows there — to the import's saving thread, which
 * saves them as they come (save-thread.ts) — and tells the core's thread only that the file opened
 * (and any error). Without one, everything goes to the core's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PacerError } from '../../errors';
import { threadCpuMs } from '../../threads/cpu';
import { erasureMatcher } from '../../privacy/store/erasures';
import type { FromReader, ReadWorkerData, ToReader } from './read-protocol';
import { attributeTypes, resolveMapping, rowStager } from './stage-rows';
import { openTable } from './source';

const port = parentPort;
if (!port) throw new Error('read-worker runs only as a worker thread');
const data = workerData as ReadWorkerData;
/** Where the rows go, and where 'more' comes from. */
const out = data.rows ?? port;
const send = (m: FromReader) => (m.type === 'opened' ? port : out).postMessage(m);
const fail = (m: FromReader) => {
  out.postMessage(m);
  if (out !== port) port.postMessage(m);
};

let credits = data.inFlight;
let wake: (() => void) | null = null;
out.on('message', (m: ToReader) => {
  if (m.type === 'more') {
    credits++;
    wake?.();
    wake = null;
  }
});
const credit = async () => {
  while (credits <= 0) await new Promise<void>((r) => (wake = r));
  credits--;
};

async function read(): Promise<void> {
  const source = await openTable(data.filePath, { encoding: data.encoding, sheet: data.sheet });
  try {
    const map = resolveMapping(data.mapping, source.headers);
    send({
      type: 'opened',
      headers: source.headers,
      format: source.format,
      encoding: source.encoding,
      bytesTotal: source.bytesTotal,
      consentColumn: map.consent === null ? null : source.headers[map.consent]!,
    });
    let stage: ReturnType<typeof rowStager> | null = null;
    for await (const rows of source.batches()) {
      if (!stage) {
        const attrTypes = attributeTypes(map, new Map(data.existingDefs), rows);
        send({ type: 'typed', attrTypes: [...attrTypes] });
        stage = rowStager({
          map,
          defaultCountry: data.defaultCountry,
          attrTypes,
          erased: data.erasures && erasureMatcher(data.erasures),
          searchWords: data.searchWords,
        });
      }
      for (let i = 0; i < rows.length; i += data.batchRows) {
        await credit();
        send({ type: 'batch', batch: stage(rows.slice(i, i + data.batchRows)), bytesRead: source.bytesRead() });
      }
    }
    send({ type: 'end', cpuMs: threadCpuMs() });
  } finally {
    source.close();
  }
}

read().catch((e: unknown) => {
  if (e instanceof PacerError) fail({ type: 'error', code: e.code, message: e.message, details: e.details });
  else fail({ type: 'error', code: 'internal', message: e instanceof Error ? e.message : String(e) });
});
