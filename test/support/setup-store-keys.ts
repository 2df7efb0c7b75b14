import { useTestStoreKeyDir } from './store';

useTestStoreKeyDir();
