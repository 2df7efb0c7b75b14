import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startBridge } from '../../http/bridge';
import { startRuntime } from '../../runtime';
import type { CliContext } from '../context';
import { CliError, EXIT_USAGE } from '../io';

/** dist/renderer beside the bundled CLI (dist/cli.mjs), or the repo's dist/ when run from source. */
export function rendererDir(env: NodeJS.ProcessEnv): string {
  if (env.PACER_RENDERER_DIR) return path.resolve(env.PACER_RENDERER_DIR);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const c of [path.join(dir, 'renderer'), path.join(dir, 'dist', 'renderer')]) {
      if (fs.existsSync(path.join(c, 'index.html'))) return c;
    }
    dir = path.dirname(dir);
  }
  throw new CliError('The renderer is not built yet: run `npm run build` first.', 1);
}

export function registerServeCommand(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('Start the browser harness: the core and the app UI on 127.0.0.1; prints the URL to open')
    .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', '0')
    .option('--webhook-port <port>', 'webhook receiver port on 127.0.0.1 (default: the configured one; 0 = any free port)')
    .option('--json', 'print {"url": …} as JSON')
    .action(async (o: { port: string; webhookPort?: string }, cmd: Command) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be 0–65535, got ${o.port}`, EXIT_USAGE);
      const webhookPort = o.webhookPort === undefined ? undefined : Number(o.webhookPort);
      if (webhookPort !== undefined && (!Number.isInteger(webhookPort) || webhookPort < 0 || webhookPort > 65535))
        throw new CliError(`--webhook-port must be 0–65535, got ${o.webhookPort}`, EXIT_USAGE);
      const staticDir = rendererDir(cli.io.env);
      await cli.withCore(
        cmd,
        async (core) => {
          // The harness is the whole app: campaigns send and webhooks arrive while it runs.
          const runtime = await startRuntime(core, {
            ...(webhookPort === undefined ? {} : { webhookPort }),
            fallbackToFreePort: webhookPort === undefined,
          });
          const bridge = await startBridge(core, { port, staticDir });
          cli.print(
            cmd,
            { url: bridge.openUrl, port: bridge.port, webhook_url: runtime.webhookUrl },
            () => `Pacer is running at ${bridge.openUrl}\nWebhooks: ${runtime.webhookUrl}\nPress Ctrl+C to stop.`,
          );
          const signal = await cli.io.untilSignal();
          cli.io.err(`Stopping (${signal})…`);
          await bridge.close();
          await runtime.stop();
        },
        'harness',
      );
    });
}
