import path from 'node:path';
import { openDatabase, type Db } from '../../electron/core/db/connection';
import { KeyFileStoreKeyVault } from '../../electron/core/secrets/store-key';

/**
 * pacer.db is encrypted (docs/security.md): a test that looks inside a data folder's store opens it
 * with the folder's key, from the same key-file vault `pacer serve` and the CLI use.
 */
export function openDataDirStore(dataDir: string, opts: { readonly?: boolean } = {}): Db {
  const key = new KeyFileStoreKeyVault(dataDir).read();
  if (!key) throw new Error(`no store key for ${dataDir}`);
  return openDatabase(path.join(dataDir, 'pacer.db'), { ...opts, key });
}
