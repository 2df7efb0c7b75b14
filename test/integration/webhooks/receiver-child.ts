/**
 * A receiver in its own process for the kill -9 test (and the relay end-to-end test): opens the
 * core on the data dir given as argv[2], starts the webhook receiver (and the relay pull when one
 * is configured), and prints {"url"} as its first stdout line.
 */
import { createCore } from '../../../electron/core/index';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: receiver-child DATA_DIR');
const core = createCore({ dataDir, host: 'cli' });
const rx = await core.services.webhooks.start({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: rx.url })}\n`);
process.on('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
