import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { PacerError } from '../errors';

export interface StagedFile {
  fileId: string;
  name: string;
  size: number;
  /** Absolute path the core reads from. Never sent to the renderer. */
  path: string;
}

/**
 * Files the user picked in the UI, handed to the core before an import reads them. The harness
 * streams uploads into DATA_DIR/uploads; the Electron app registers the picked file's own path
 * (no copy). Import methods take a fileId, so the renderer never names a path on disk.
 */
export class FileStaging {
  private files = new Map<string, StagedFile>();
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'uploads');
  }

  async stageStream(name: string, body: Readable, maxBytes: number): Promise<StagedFile> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const fileId = crypto.randomUUID();
    const target = path.join(this.dir, fileId);
    let size = 0;
    const counter = async function* (source: Readable) {
      for await (const chunk of source) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) throw new PacerError('bad_input', `The file is larger than ${Math.round(maxBytes / 1e6)} MB.`);
        yield chunk as Buffer;
      }
    };
    try {
      await pipeline(body, counter, fs.createWriteStream(target, { mode: 0o600 }));
    } catch (e) {
      fs.rmSync(target, { force: true });
      throw e;
    }
    const staged = { fileId, name: path.basename(name).slice(0, 255) || 'file', size, path: target };
    this.files.set(fileId, staged);
    return staged;
  }

  stagePath(filePath: string): StagedFile {
    const stat = fs.statSync(filePath, { throwIfNoEntry: false });
    if (!stat?.isFile()) throw new PacerError('bad_input', 'That is not a readable file.');
    const staged = { fileId: crypto.randomUUID(), name: path.basename(filePath), size: stat.size, path: filePath };
    this.files.set(staged.fileId, staged);
    return staged;
  }

  get(fileId: string): StagedFile {
    const f = this.files.get(fileId);
    if (!f) throw new PacerError('not_found', 'The selected file is no longer available. Pick it again.');
    return f;
  }

  discard(fileId: string): void {
    const f = this.files.get(fileId);
    this.files.delete(fileId);
    if (f && f.path.startsWith(this.dir + path.sep)) fs.rmSync(f.path, { force: true });
  }

  discardAll(): void {
    for (const id of [...this.files.keys()]) this.discard(id);
  }
}
