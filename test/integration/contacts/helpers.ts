import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '../../../electron/core/index';
import { afterEach } from 'vitest';
import type { ImportJob, ImportOptions, MappingEntry } from '../../../shared/contract/contacts';
import { testCore } from '../../support/core';

export { testCore };

/**
 * Cores made by a test file, each closed after its test: call once at the top of the file,
 * `const core = closedAfterEach();`, then `core()` or `core({ clock })` in a test.
 */
export function closedAfterEach(): (opts?: Parameters<typeof testCore>[0]) => ReturnType<typeof testCore> {
  let cores: Core[] = [];
  afterEach(async () => {
    await Promise.all(cores.map((c) => c.close()));
    cores = [];
  });
  return (opts = {}) => {
    const c = testCore(opts);
    cores.push(c);
    return c;
  };
}

export function tempFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-contacts-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

export async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

/** Stages a file and previews it through the contract. */
export async function preview(core: Core, file: string, extra: { encoding?: string; sheet?: string } = {}) {
  const staged = core.ctx.files.stagePath(file);
  const p = await ok(core.call('import:preview', { fileId: staged.fileId, ...extra }));
  return p;
}

/** Imports a file through the contract (preview's guessed mapping unless given) and waits for it. */
export async function importFile(
  core: Core,
  file: string,
  opts: Partial<Omit<ImportOptions, 'fileId'>> & { mapping?: MappingEntry[] } = {},
): Promise<ImportJob> {
  const staged = core.ctx.files.stagePath(file);
  let mapping = opts.mapping;
  if (!mapping) {
    const p = await core.call('import:preview', {
      fileId: staged.fileId,
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
      ...(opts.sheet ? { sheet: opts.sheet } : {}),
    });
    if (!p.ok) return { jobId: '', state: 'failed', progress: null as never, report: null, error: { code: p.code, message: p.message } };
    mapping = p.value.mapping;
  }
  const started = await core.call('import:start', { defaultCountry: 'IL', ...opts, mapping, fileId: staged.fileId });
  if (!started.ok)
    return { jobId: '', state: 'failed', progress: null as never, report: null, error: { code: started.code, message: started.message } };
  return core.services.imports.wait(started.value.jobId);
}

export function contactsOf(core: Core) {
  return core.db.prepare('SELECT phone, name, first_name, last_name, email, country FROM contacts ORDER BY id').all() as {
    phone: string;
    name: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    country: string | null;
  }[];
}
