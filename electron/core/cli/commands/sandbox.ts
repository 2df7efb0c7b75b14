import type { Command } from 'commander';
import { systemClock } from '../../clock';
import { acceleratedClock } from '../../sandbox/accelerated-clock';
import { DEFAULT_SCENARIO, ScenarioError, startSandbox, type SandboxHandle } from '../../sandbox';
import type { CliContext } from '../context';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../io';

/**
 * `pacer sandbox`: runs the Cloud API emulator in the foreground. Its FIRST stdout line is always
 * one JSON object with `base_url` (scripts read it to find the port); everything else goes to stderr.
 * It does not open the core or take the data-dir lock.
 */
export function registerSandboxCommand(program: Command, cli: CliContext): void {
  program
    .command('sandbox')
    .description('Run the WhatsApp Cloud API emulator on 127.0.0.1 (prints {"base_url": …} first)')
    .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', '0')
    .option('--scenario <file>', 'scenario JSON file (default: the built-in demo account)')
    .option('--webhook-url <url>', 'POST signed webhooks to this URL')
    .option('--seed <n>', 'seed for every random choice', '1')
    .option('--speed <factor>', 'run the sandbox clock this many times faster than real time', '1')
    .option('--print-scenario', 'print the built-in scenario as JSON (a starting point for --scenario) and exit')
    .option('--json', 'accepted for symmetry; the first line is always JSON')
    .action(async (o: { port: string; scenario?: string; webhookUrl?: string; seed: string; speed: string; printScenario?: boolean }) => {
      if (o.printScenario) {
        cli.io.out(JSON.stringify(DEFAULT_SCENARIO, null, 2));
        return;
      }
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be 0–65535, got ${o.port}`, EXIT_USAGE);
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw new CliError(`--seed must be an integer, got ${o.seed}`, EXIT_USAGE);
      const speed = Number(o.speed);
      if (!(speed > 0) || !Number.isFinite(speed)) throw new CliError(`--speed must be a positive number, got ${o.speed}`, EXIT_USAGE);
      if (o.webhookUrl !== undefined) {
        let ok = false;
        try {
          ok = ['http:', 'https:'].includes(new URL(o.webhookUrl).protocol);
        } catch {
          ok = false;
        }
        if (!ok) throw new CliError(`--webhook-url must be an http(s) URL, got ${o.webhookUrl}`, EXIT_USAGE);
      }
      let sb: SandboxHandle;
      try {
        sb = await startSandbox({
          port,
          scenario: o.scenario,
          webhookUrl: o.webhookUrl,
          seed,
          clock: speed === 1 ? systemClock : acceleratedClock(speed),
        });
      } catch (e) {
        if (e instanceof ScenarioError) throw new CliError(e.message, EXIT_USAGE);
        throw new CliError(`could not start the sandbox: ${(e as Error).message}`, EXIT_FAILED);
      }
      cli.io.out(
        JSON.stringify({
          base_url: sb.baseUrl,
          business_id: sb.ids.businessId,
          waba_ids: sb.ids.wabaIds,
          phone_number_ids: sb.ids.phoneNumberIds,
          admin_url: `${sb.baseUrl}/__admin`,
        }),
      );
      cli.io.err(
        [
          `Pacer Sandbox (scenario "${sb.scenario.name}") on ${sb.baseUrl}`,
          `  Graph API:  ${sb.baseUrl}/v24.0/…   (Bearer token: the scenario's; see docs/sandbox.md)`,
          `  Admin:      ${sb.baseUrl}/__admin/help`,
          `  Webhooks:   ${o.webhookUrl ?? sb.scenario.webhooks.url ?? 'none (set with --webhook-url or POST /__admin/webhook)'}`,
          speed !== 1 ? `  Clock:      ${speed}× real time` : '',
          'Press Ctrl+C to stop.',
        ]
          .filter(Boolean)
          .join('\n'),
      );
      const signal = await cli.io.untilSignal();
      cli.io.err(`Stopping (${signal})…`);
      await sb.close();
    });
}
