import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..', '..');

/**
 * Finds a file of the read-only reference folder that lives BESIDE the repo (../shared/…): walks up
 * from the repo root so it works in /work/main, in a CI clone, or in a worktree. Fails loudly.
 */
export function findSharedFile(relative: string): string {
  let dir = REPO;
  for (;;) {
    const candidate = path.join(dir, 'shared', relative);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `Cannot find shared/${relative} in ${REPO} or any folder above it. The Meta reference material ` +
      '(shared/specs/meta-whatsapp-openapi, shared/reference) must sit beside the repo, as on CI.',
  );
}

export const OPENAPI_SPEC = 'specs/meta-whatsapp-openapi/business-messaging-api_v23.0.yaml';
export const CLOUD_API_REFERENCE = 'reference/whatsapp-cloud-api.md';
