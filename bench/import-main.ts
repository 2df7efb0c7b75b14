// Options after `--`: --rows N (default 1000000), --keep (keep the generated files).
/**
 * Contacts import benchmark: a generated 1,000,000-row CSV (IL, TW and GB mobile numbers written in
 * mixed ways; Hebrew, Chinese and English names) imported through the core's contract methods
 * (import:preview → import:start, exactly what the app and `pacer import` do), compared with
 * `sqlite3 DB ".import --csv FILE t"` of the same file in the same run. Then contact search p95
 * (contacts:query with a total count, as the contacts table calls it) for name, phone-fragment and
 * tag queries.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { createCore } from '../electron/core/index';
import { openTable } from '../electron/core/contacts/import/source';
import { MemoryVault } from '../electron/core/secrets/vault';
import { MemoryStoreKeyVault } from '../electron/core/secrets/store-key';
import { UNENCRYPTED_FOR_BENCHMARKS } from '../electron/core/db/open-store';
import { MemorySettingsStore } from '../electron/core/settings/store';
import { silentLogger, type Logger } from '../electron/core/log';

const argv = process.argv.slice(2);
const ROWS = Number(argv[argv.indexOf('--rows') + 1] ?? 0) || 1_000_000;
const KEEP = argv.includes('--keep');

const HE_FIRST = ['דוד', 'שרה', 'משה', 'רחל', 'יוסי', 'מיכל', 'אבי', 'נועה', 'איתי', 'תמר', 'עומר', 'יעל', 'אורי', 'שירה', 'רון', 'הילה'];
const HE_LAST = ['כהן', 'לוי', 'מזרחי', 'פרץ', 'ביטון', 'דהן', 'אברהם', 'פרידמן', 'אזולאי', 'מלכה', 'חדד', 'גבאי'];
const ZH_LAST = ['王', '陳', '林', '張', '李', '黃', '吳', '劉', '蔡', '楊', '許', '鄭'];
const ZH_GIVEN = ['小明', '美玲', '志豪', '家豪', '淑芬', '怡君', '建宏', '雅婷', '俊傑', '宗翰', '佩珊', '冠宇'];
const EN_FIRST = ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Jack', 'Emily', 'Noah', 'Grace'];
const TAGS = ['vip', 'newsletter', 'store-tlv', 'store-taipei', 'london', 'spring-sale', 'loyalty', 'b2b'];

/** Six/seven/eight-digit tails from the row number: every phone in the file is distinct. */
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function row(i: number): string {
  const kind = i % 3;
  const variant = Math.floor(i / 3) % 4;
  const tag = TAGS[i % TAGS.length]! + (i % 5 === 0 ? `;${TAGS[(i + 3) % TAGS.length]}` : '');
  const email = i % 2 === 0 ? `user${i}@example.com` : '';
  if (kind === 0) {
    // IL mobile 050-XXXXXXX, default country IL: national, international, 00, no-plus.
    const n = `50${pad(Math.floor(i / 3) % 10_000_000, 7)}`;
    const phone = [`0${n.slice(0, 2)}-${n.slice(2, 5)}-${n.slice(5)}`, `+972 ${n.slice(0, 2)}-${n.slice(2)}`, `00972${n}`, `972${n}`][
      variant
    ];
    return `${phone},${HE_FIRST[i % HE_FIRST.length]},${HE_LAST[(i >> 4) % HE_LAST.length]},${email},"${tag}"`;
  }
  if (kind === 1) {
    // TW mobile 09XX-XXX-XXX written internationally.
    const n = `9${['12', '33', '55', '88'][variant]}${pad(Math.floor(i / 3) % 1_000_000, 6)}`;
    const phone = [`+886 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `00886${n}`, `886${n}`, `+886-${n}`][variant];
    return `${phone},${ZH_GIVEN[i % ZH_GIVEN.length]},${ZH_LAST[(i >> 3) % ZH_LAST.length]},${email},"${tag}"`;
  }
  // GB mobile 074XX XXXXXX.
  const n = `74${pad(Math.floor(i / 3) % 100_000_000, 8)}`;
  const phone = [`+44 ${n.slice(0, 4)} ${n.slice(4)}`, `0044${n}`, `44${n}`, `+44 (0)${n}`][variant];
  return `${phone},${EN_FIRST[i % EN_FIRST.length]},Smith${i},${email},"${tag}"`;
}

async function generate(file: string): Promise<number> {
  // Sanity: the generated numbers are valid mobiles (so the benchmark measures imports, not rejections).
  for (let i = 0; i < 3000; i += 7) {
    const phone = row(i).split(',')[0]!;
    const p = parsePhoneNumberFromString(
      phone.startsWith('00') ? '+' + phone.slice(2) : /^\d/.test(phone) && !phone.startsWith('0') ? '+' + phone : phone,
      'IL',
    );
    if (!p?.isValid()) throw new Error(`generator makes an invalid number: ${phone}`);
  }
  const out = fs.createWriteStream(file);
  let buf = 'phone,first_name,last_name,email,tags\n';
  for (let i = 0; i < ROWS; i++) {
    buf += row(i) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r) => out.end(() => r()));
  return fs.statSync(file).size;
}

const secondsOf = (ms: unknown) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(2)} s` : 'unknown');

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-bench-import-'));
  const csv = path.join(work, 'contacts.csv');
  console.log(`Generating ${ROWS.toLocaleString('en')} rows…`);
  // Generated in a child process so the generator's garbage does not sit in this process's RSS.
  const gen = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate-into', csv, '--rows', String(ROWS)], {
    stdio: 'inherit',
  });
  if (gen.status !== 0) throw new Error('generating the CSV failed');
  const size = fs.statSync(csv).size;
  console.log(`  ${csv} (${(size / 1e6).toFixed(1)} MB)`);

  // Baseline: sqlite3's own CSV import of the same file (no validation, no indexes).
  const sqliteDb = path.join(work, 'baseline.db');
  let t = performance.now();
  const base = spawnSync('sqlite3', [sqliteDb, '.import --csv ' + csv + ' t'], { encoding: 'utf8' });
  const sqliteMs = performance.now() - t;
  if (base.status !== 0) throw new Error(`sqlite3 failed: ${base.stderr}`);
  console.log(`sqlite3 .import --csv: ${(sqliteMs / 1000).toFixed(2)} s`);
  // A second reference, not the target's: the same sqlite3 import into a table with the indexes
  // Pacer's contacts table has (unique phone, name, country, updated) — what SQLite alone pays.
  const indexedDb = path.join(work, 'indexed.db');
  const schema =
    'CREATE TABLE t (phone TEXT UNIQUE, first_name TEXT, last_name TEXT, email TEXT, tags TEXT); CREATE INDEX t_name ON t(first_name COLLATE NOCASE); CREATE INDEX t_last ON t(last_name); CREATE INDEX t_email ON t(email);';
  t = performance.now();
  const indexed = spawnSync('sqlite3', [indexedDb, schema, '.import --csv --skip 1 ' + csv + ' t'], { encoding: 'utf8' });
  const sqliteIndexedMs = performance.now() - t;
  if (indexed.status !== 0) throw new Error(`sqlite3 (indexed) failed: ${indexed.stderr}`);
  console.log(`sqlite3 .import --csv into a table with 4 indexes like Pacer's: ${(sqliteIndexedMs / 1000).toFixed(2)} s (reference only)`);

  // Pacer: the same path as the app / `pacer import`, on an unencrypted store and then on an
  // encrypted one (what every store is now: docs/security.md), side by side in this run.
  const plain = await pacerImport(path.join(work, 'data-plain'), csv, UNENCRYPTED_FOR_BENCHMARKS, 'unencrypted');
  await plain.core.close();
  const enc = await pacerImport(path.join(work, 'data'), csv, new MemoryStoreKeyVault(), 'encrypted');
  const { core, service, importMs, indexMs, r, progressEvents, longestGap, writingAt, t0Import, importPeakRss, maxRss } = enc;
  const untilSearchable = (x: PacerRun) => x.importMs + x.indexMs;
  console.log('Side by side (until every contact is searchable = import + search index):');
  console.log(
    `  unencrypted ${(untilSearchable(plain) / 1000).toFixed(2)} s (import ${(plain.importMs / 1000).toFixed(2)} + index ${(plain.indexMs / 1000).toFixed(2)}), ${(untilSearchable(plain) / sqliteIndexedMs).toFixed(2)}× the indexed sqlite3 reference`,
  );
  console.log(
    `  encrypted   ${(untilSearchable(enc) / 1000).toFixed(2)} s (import ${(enc.importMs / 1000).toFixed(2)} + index ${(enc.indexMs / 1000).toFixed(2)}), ${(untilSearchable(enc) / sqliteIndexedMs).toFixed(2)}× the indexed sqlite3 reference (target ≤ 2.0); encryption costs ${((untilSearchable(enc) / untilSearchable(plain) - 1) * 100).toFixed(0)} %`,
  );

  // Search: what the contacts table asks (page of 100 + total).
  const q = async (input: Record<string, unknown>) => {
    const t0 = performance.now();
    const res = await core.call('contacts:query', { limit: 100, ...input });
    if (!res.ok) throw new Error(res.message);
    return { ms: performance.now() - t0, total: res.value.total };
  };
  const kinds: Record<string, Record<string, unknown>[]> = {
    name: [],
    phone: [],
    tag: [],
  };
  for (let k = 0; k < 60; k++) {
    kinds.name!.push(
      { search: HE_FIRST[k % HE_FIRST.length] + ' ' + HE_LAST[k % HE_LAST.length] },
      { search: ZH_LAST[k % ZH_LAST.length]! + ZH_GIVEN[(3 * k + 1) % ZH_GIVEN.length] },
      { search: `Smith${(k * 7919) % ROWS}` },
    );
    const i = (k * 104729) % ROWS;
    const e164 = service.query({ offset: i % 1000, limit: 1 }).rows[0]?.phone ?? '+972500000001';
    kinds.phone!.push({ search: e164.slice(-4) }, { search: e164.slice(-7, -1) }, { search: '0' + e164.slice(4, 9) });
    kinds.tag!.push({ tag: TAGS[k % TAGS.length] }, { tag: TAGS[k % TAGS.length], offset: 5000 * (k % 50) });
  }
  const results: Record<string, { p50: number; p95: number; n: number; exampleTotal: number }> = {};
  for (const [kind, inputs] of Object.entries(kinds)) {
    await q(inputs[0]!); // warm
    const times: number[] = [];
    let exampleTotal = 0;
    for (const input of inputs) {
      const { ms, total } = await q(input);
      times.push(ms);
      exampleTotal ||= total;
    }
    results[kind] = { p50: percentile(times, 50), p95: percentile(times, 95), n: times.length, exampleTotal };
    console.log(
      `Search ${kind}: p50 ${results[kind]!.p50.toFixed(1)} ms, p95 ${results[kind]!.p95.toFixed(1)} ms over ${times.length} queries (target p95 ≤ 100 ms)`,
    );
  }
  // Deep paging of the unfiltered table (the virtualised list scrolled to the end).
  const deep: number[] = [];
  for (let k = 0; k < 20; k++) deep.push((await q({ offset: ROWS - 200 - k * 1000 })).ms);
  console.log(`Unfiltered page at offset ~${ROWS.toLocaleString('en')}: p95 ${percentile(deep, 95).toFixed(1)} ms`);

  // JavaScript's floor (after the import, so its heap does not count in the import's RSS): reading and CSV-parsing the file with the import's own reader, nothing else.
  t = performance.now();
  const reader = await openTable(csv, {});
  let parsedRows = 0;
  for await (const batch of reader.batches()) parsedRows += batch.length;
  reader.close();
  const parseMs = performance.now() - t;
  console.log(
    `read + CSV parse only (the import's reader): ${(parseMs / 1000).toFixed(2)} s for ${parsedRows.toLocaleString('en')} rows (reference only)`,
  );

  const summary = {
    rows: ROWS,
    fileMB: +(size / 1e6).toFixed(1),
    sqliteSeconds: +(sqliteMs / 1000).toFixed(2),
    importSeconds: +(importMs / 1000).toFixed(2),
    rowsPerSecond: Math.round(r.rows / (importMs / 1000)),
    ratio: +(importMs / sqliteMs).toFixed(2),
    untilSearchableSeconds: {
      unencrypted: +(untilSearchable(plain) / 1000).toFixed(2),
      encrypted: +(untilSearchable(enc) / 1000).toFixed(2),
    },
    ratioToIndexedSqlite: {
      unencrypted: +(untilSearchable(plain) / sqliteIndexedMs).toFixed(2),
      encrypted: +(untilSearchable(enc) / sqliteIndexedMs).toFixed(2),
    },
    threadsCpuMs: { unencrypted: plain.threads, encrypted: enc.threads },
    unencryptedImportSeconds: +(plain.importMs / 1000).toFixed(2),
    unencryptedIndexSeconds: +(plain.indexMs / 1000).toFixed(2),
    unencryptedPeakRssMB: Math.round(plain.importPeakRss / 1e6),
    readAndSaveSeconds: +((writingAt - t0Import) / 1000).toFixed(2),
    commitSeconds: +((t0Import + importMs - writingAt) / 1000).toFixed(2),
    indexSeconds: +(indexMs / 1000).toFixed(2),
    ratioWithIndex: +((importMs + indexMs) / sqliteMs).toFixed(2),
    peakRssMB: Math.round(importPeakRss / 1e6),
    progressEvents,
    longestProgressGapMs: Math.round(longestGap),
    sqliteIndexedSeconds: +(sqliteIndexedMs / 1000).toFixed(2),
    parseOnlySeconds: +(parseMs / 1000).toFixed(2),
    processMaxRssMB: Math.round(maxRss / 1e6),
    search: results,
    deepPageP95: +percentile(deep, 95).toFixed(1),
    cpus: os.cpus().length,
  };
  fs.mkdirSync('bench/.out', { recursive: true });
  fs.writeFileSync('bench/.out/import-result.json', JSON.stringify(summary, null, 2));
  console.log(JSON.stringify(summary));
  await core.close();
  if (!KEEP) fs.rmSync(work, { recursive: true, force: true });
}

interface PacerRun {
  core: ReturnType<typeof createCore>;
  service: ReturnType<typeof createCore>['services']['contacts'];
  importMs: number;
  indexMs: number;
  r: NonNullable<Awaited<ReturnType<ReturnType<typeof createCore>['services']['imports']['wait']>>['report']>;
  progressEvents: number;
  longestGap: number;
  writingAt: number;
  t0Import: number;
  importPeakRss: number;
  maxRss: number;
  /** CPU time of all threads during the import. */
  cpuMs: number;
  /** The import's reading and saving threads' own CPU time (ms), as it logged them. */
  threads: { readingCpuMs: unknown; savingCpuMs: unknown };
}

/** One import of the file through the contract, timed, with RSS and progress sampled; then the search index catch-up, timed. */
async function pacerImport(
  dataDir: string,
  csv: string,
  storeKeys: MemoryStoreKeyVault | typeof UNENCRYPTED_FOR_BENCHMARKS,
  label: string,
): Promise<PacerRun> {
  // The import logs its threads' CPU time ('import saved', contacts/import/engine.ts).
  const saved = { fields: {} as Record<string, unknown>, log: { ...silentLogger } as Logger };
  saved.log.info = (msg, fields) => {
    if (msg === 'import saved' && fields) saved.fields = fields;
  };
  const core = createCore({
    dataDir,
    host: 'cli',
    secrets: new MemoryVault(),
    settings: new MemorySettingsStore(),
    log: saved.log,
    storeKeys,
  });
  // RSS is sampled by a timer and at every progress event (the whole process: the reading and
  // saving threads' memory included).
  let peakRss = process.memoryUsage().rss;
  const baseRss = peakRss;
  let peakParts = '';
  let sampling = true;
  const peakBy = { reading: 0, writing: 0 };
  let phaseNow: 'reading' | 'writing' = 'reading';
  const sample = () => {
    if (!sampling) return;
    const mu = process.memoryUsage();
    const rss = mu.rss;
    if (rss > peakRss)
      peakParts = `heap ${(mu.heapTotal / 1e6).toFixed(0)} (used ${(mu.heapUsed / 1e6).toFixed(0)}), external ${(mu.external / 1e6).toFixed(0)}, buffers ${(mu.arrayBuffers / 1e6).toFixed(0)}`;
    peakRss = Math.max(peakRss, rss);
    peakBy[phaseNow] = Math.max(peakBy[phaseNow], rss);
  };
  const sampler = setInterval(sample, 20);
  // The core's other calls while the import runs: a cheap read every 50 ms, its answer time by phase
  // (how long the app would wait for anything else it asks meanwhile).
  const callWaits: Record<'reading' | 'writing', number[]> = { reading: [], writing: [] };
  let asking = true;
  const ask = async () => {
    while (asking) {
      const phase = phaseNow;
      const t0 = performance.now();
      await core.call('contacts:query', { limit: 1 });
      callWaits[phase].push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const asker = ask();
  let progressEvents = 0;
  let writingAt = 0;
  let lastEventAt = 0;
  let longestGap = 0;
  let gapAt = '';
  core.on('import:progress', (p) => {
    sample();
    progressEvents++;
    const now = performance.now();
    if (lastEventAt && now - lastEventAt > longestGap) {
      longestGap = now - lastEventAt;
      gapAt = `${p.phase} ${p.rowsRead}`;
    }
    lastEventAt = now;
    if (p.phase === 'writing' && !writingAt) writingAt = now;
    if (p.phase === 'writing') phaseNow = 'writing';
  });
  const { imports, contacts: service } = core.services;
  let t = performance.now();
  const t0Import = t;
  // CPU time of every thread of the process (the core's, the reading and the saving thread): on
  // two cores the import cannot take less wall time than half of it.
  const cpu0 = process.cpuUsage();
  const staged = core.ctx.files.stagePath(csv);
  const preview = await core.call('import:preview', { fileId: staged.fileId });
  if (!preview.ok) throw new Error(preview.message);
  const started = await core.call('import:start', {
    fileId: staged.fileId,
    mapping: preview.value.mapping,
    defaultCountry: 'IL',
    tags: ['bench'],
  });
  if (!started.ok) throw new Error(started.message);
  const job = await imports.wait(started.value.jobId);
  const importMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  asking = false;
  await asker;
  sample();
  sampling = false;
  const importPeakRss = peakRss;
  longestGap = Math.max(longestGap, performance.now() - lastEventAt);
  if (job.state !== 'done' || !job.report) throw new Error(`import ${job.state}: ${job.error?.message}`);
  const r = job.report;
  // The search index catches up after the commit (in the app, in the background).
  await service.indexer.stop(); // stop the background run the import kicked; finish it here, timed
  t = performance.now();
  service.indexer.catchUpNow();
  const indexMs = performance.now() - t;
  clearInterval(sampler);
  const maxRss = process.resourceUsage().maxRSS * 1024;

  console.log(
    `Pacer import (${label} store): ${(importMs / 1000).toFixed(2)} s, ${Math.round(r.rows / (importMs / 1000)).toLocaleString('en')} rows/s`,
  );
  console.log(
    `  rows ${r.rows}, imported ${r.imported}, updated ${r.updated}, duplicates ${r.duplicates}, invalid ${r.invalid}, skipped ${r.skipped}`,
  );
  console.log(
    `  progress: ${progressEvents} events, longest gap between two ${longestGap.toFixed(0)} ms, before "${gapAt}" (≥ 4/s means ≤ 250 ms)`,
  );
  console.log(
    `  phases: reading and saving (on two threads at once) ${((writingAt - t0Import) / 1000).toFixed(2)} s, then the commit ${((t0Import + importMs - writingAt) / 1000).toFixed(2)} s`,
  );
  console.log(
    `  peak RSS during import: ${(importPeakRss / 1e6).toFixed(0)} MB (target ≤ 500 MB; before it ${(baseRss / 1e6).toFixed(0)}, reading ${(peakBy.reading / 1e6).toFixed(0)}, saving ${(peakBy.writing / 1e6).toFixed(0)}; process max so far incl. the search index catch-up ${(maxRss / 1e6).toFixed(0)} MB)`,
  );
  console.log(`  at the peak, MB: ${peakParts} (the rest is native: SQLite page caches, code)`);
  console.log(
    `  CPU of all threads during the import: ${(cpuMs / 1000).toFixed(2)} s (on ${os.cpus().length} cores the wall time is at least ${(cpuMs / 1000 / os.cpus().length).toFixed(2)} s); the reading thread ${secondsOf(saved.fields.readingCpuMs)}, the saving thread ${secondsOf(saved.fields.savingCpuMs)}`,
  );
  console.log(`  search index catch-up after commit: ${(indexMs / 1000).toFixed(2)} s`);
  for (const phase of ['reading', 'writing'] as const) {
    const w = callWaits[phase];
    if (w.length)
      console.log(
        `  other calls answered while ${phase}: ${w.length}, p50 ${percentile(w, 50).toFixed(0)} ms, p95 ${percentile(w, 95).toFixed(0)} ms, max ${Math.max(...w).toFixed(0)} ms`,
      );
  }
  const threads = { readingCpuMs: saved.fields.readingCpuMs ?? null, savingCpuMs: saved.fields.savingCpuMs ?? null };
  return { core, service, importMs, indexMs, r, progressEvents, longestGap, writingAt, t0Import, importPeakRss, maxRss, cpuMs, threads };
}

const into = argv.indexOf('--generate-into');
if (into >= 0) await generate(argv[into + 1]!);
else await main();
