import path from 'node:path';
import { build } from 'esbuild';
import { WORKER_BUNDLE_NAME } from '../../electron/core/webhooks/writer-thread';
import { REPO } from './harness';

/**
 * Emits the webhook inbox's writer-thread module beside a test bundle of the core, as
 * scripts/build.mjs does beside dist/cli.mjs: a bundle loads it from its own folder.
 */
export async function emitInboxWriterWorker(bundle: string): Promise<void> {
  await build({
    entryPoints: [path.join(REPO, 'electron/core/webhooks/inbox-writer-worker.ts')],
    outfile: path.join(path.dirname(bundle), WORKER_BUNDLE_NAME),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
}
