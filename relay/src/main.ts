/**
 * Pacer relay — `npm run relay` (or `node relay/src/main.ts`; Node ≥ 23.6 runs the TypeScript
 * directly). Commands:
 *   serve (default)        receive Meta's webhooks and serve paired installations
 *   pair --name NAME       create an installation token (printed once)
 *   list                   paired installations and their backlog
 *   unpair ID              remove an installation (its undelivered events are dropped)
 * Configuration (environment): RELAY_APP_SECRET and RELAY_VERIFY_TOKEN (required for serve),
 * RELAY_PORT (8787), RELAY_HOST (127.0.0.1; 0.0.0.0 in the container), RELAY_DATA (./relay-data).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startRelay } from './server.ts';
import { RelayStore } from './store.ts';

const env = process.env;
const dataDir = path.resolve(env.RELAY_DATA ?? 'relay-data');
fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const store = new RelayStore(path.join(dataDir, 'relay.db'));
const [command = 'serve', ...rest] = process.argv.slice(2);
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

function fail(message: string): never {
  process.stderr.write(`relay: ${message}\n`);
  store.close();
  process.exit(2);
}

switch (command) {
  case 'serve': {
    const appSecret = env.RELAY_APP_SECRET;
    const verifyToken = env.RELAY_VERIFY_TOKEN;
    if (!appSecret) fail('set RELAY_APP_SECRET (your Meta app secret) so signatures can be verified');
    if (!verifyToken || verifyToken.length < 8) fail("set RELAY_VERIFY_TOKEN (8+ characters; enter the same in Meta's App Dashboard)");
    const port = Number(env.RELAY_PORT ?? 8787);
    const relay = await startRelay({ store, appSecret, verifyToken, port, host: env.RELAY_HOST ?? '127.0.0.1', log });
    process.stdout.write(
      `${JSON.stringify({ url: relay.url, callback: `${relay.url}/webhook`, installations: store.counts().installations })}\n`,
    );
    if (!store.counts().installations)
      log('no installation paired yet: run `npm run relay -- pair --name laptop` (events are kept until then)');
    const stop = (sig: string) => {
      log(`stopping (${sig})`);
      void relay.close().then(() => {
        store.close();
        process.exit(0);
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    break;
  }
  case 'pair': {
    const i = rest.indexOf('--name');
    const name = i >= 0 ? rest[i + 1] : undefined;
    if (!name) fail('usage: pair --name NAME');
    const { installation, token } = store.pair(name);
    process.stdout.write(`${JSON.stringify({ id: installation.id, name, token })}\n`);
    process.stderr.write(
      'Give this token to Pacer once (PACER_RELAY_TOKEN=… pacer webhook relay --url https://your-relay); it is not shown again.\n',
    );
    store.close();
    break;
  }
  case 'list':
    process.stdout.write(`${JSON.stringify(store.installations())}\n`);
    store.close();
    break;
  case 'unpair': {
    if (!rest[0]) fail('usage: unpair ID');
    const ok = store.unpair(rest[0]);
    store.close();
    if (!ok) fail(`no installation ${rest[0]}`);
    break;
  }
  default:
    fail(`unknown command "${command}" (serve, pair, list, unpair)`);
}
