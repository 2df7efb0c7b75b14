// Electron main: lifecycle, the window, security, IPC, the keychain vault and settings file.
// The core (SQLite, imports, sending, webhooks) runs in a utility process, off the UI thread.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runApp } from './lifecycle';

runApp({ bundleDir: path.dirname(fileURLToPath(import.meta.url)) });
