import { useTestStoreKeyDir } from './store-key-dir';

useTestStoreKeyDir();
