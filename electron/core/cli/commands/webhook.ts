import type { Command } from 'commander';
import type { CliContext } from '../context';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../io';
import type { WebhookInfo } from '../../../../shared/contract/webhooks';

function humanInfo(i: WebhookInfo): string {
  const relay = i.relay.url
    ? `${i.relay.url} (${i.relay.token_set ? 'paired' : 'NO TOKEN: set PACER_RELAY_TOKEN and run `pacer webhook relay --url …` again'})`
    : 'not used (events come straight to the receiver through your tunnel)';
  return [
    `Callback path:  ${i.callback_path}`,
    `Local address:  http://127.0.0.1:${i.port}${i.callback_path}${i.running ? '' : '  (started by `pacer run` or the app)'}`,
    `Verify token:   ${i.verify_token}`,
    `App secret:     ${i.app_secret_set ? 'set' : 'NOT SET — signed webhooks cannot be verified (PACER_APP_SECRET or Settings)'}`,
    `Relay:          ${relay}`,
    `Inbox:          ${i.inbox.pending} pending, ${i.inbox.processed} processed, ${i.inbox.failed} failed`,
    `Unmatched:      ${i.pending_match} status(es) waiting for a campaign to claim them`,
    ...(i.ignored.foreign
      ? [`Ignored:        ${i.ignored.foreign} event(s) for another WhatsApp Business Account or number (kept in the inbox, not applied)`]
      : []),
    ...(i.ignored.no_account
      ? [`Ignored:        ${i.ignored.no_account} account/template event(s) that came while no account was connected`]
      : []),
    ...(i.value_errors.last
      ? [
          `Meta errors:    ${i.value_errors.count}, latest #${i.value_errors.last.code} ${i.value_errors.last.title ?? i.value_errors.last.message ?? ''}`,
        ]
      : []),
    ...(i.last_error ? [`Last error:     ${i.last_error}`] : []),
    '',
    "In Meta's App Dashboard > WhatsApp > Configuration, set the Callback URL to your public HTTPS",
    `address + ${i.callback_path} and the Verify token above. See docs/webhooks.md.`,
  ].join('\n');
}

export function registerWebhookCommands(program: Command, cli: CliContext): void {
  const webhook = program.command('webhook').description('The webhook receiver: where delivery results and replies arrive');

  webhook
    .command('info')
    .description('Show the callback path, port, verify token and relay status')
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const info = await cli.call(core, 'webhooks:info', {});
        cli.print(cmd, info, () => humanInfo(info));
      });
    });

  webhook
    .command('test')
    .description('Send a signed sample event through the receiver, the inbox and the handlers, and report')
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const result = await cli.call(core, 'webhooks:test', {});
        cli.print(cmd, result, () =>
          [
            `Webhook test against ${result.url}`,
            ...result.steps.map((s) => `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(17)} ${String(s.ms).padStart(5)} ms  ${s.detail}`),
            result.ok ? 'All steps passed.' : 'The test FAILED.',
          ].join('\n'),
        );
        if (!result.ok) throw new CliError('webhook test failed', EXIT_FAILED);
      });
    });

  webhook
    .command('set')
    .description('Change the receiver port, the verify token, or the opt-out keyword lists')
    .option('--port <port>', 'port on 127.0.0.1 (1–65535)')
    .option('--verify-token <text>', "the token you enter in Meta's App Dashboard")
    .option('--stop-keywords <list>', 'comma-separated replies that mean opt-out (replaces the list)')
    .option('--opt-out-buttons <list>', 'comma-separated quick-reply payloads/labels that mean opt-out')
    .option('--json', 'print the resulting info as JSON')
    .action(async (o: { port?: string; verifyToken?: string; stopKeywords?: string; optOutButtons?: string }, cmd: Command) => {
      if (!o.port && !o.verifyToken && !o.stopKeywords && !o.optOutButtons)
        throw new CliError('Nothing to change: give --port, --verify-token, --stop-keywords or --opt-out-buttons.', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const cfg = core.services.webhooks.config;
        try {
          if (o.port) cfg.setPort(Number(o.port));
          if (o.verifyToken) cfg.setVerifyToken(o.verifyToken);
          const split = (s: string) =>
            s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean);
          if (o.stopKeywords || o.optOutButtons) {
            cfg.setOptOutRules({
              ...(o.stopKeywords ? { keywords: split(o.stopKeywords) } : {}),
              ...(o.optOutButtons ? { buttons: split(o.optOutButtons) } : {}),
            });
          }
        } catch (e) {
          throw new CliError(e instanceof Error ? e.message : String(e), EXIT_USAGE);
        }
        const info = await cli.call(core, 'webhooks:info', {});
        cli.print(cmd, info, () => humanInfo(info));
      });
    });

  webhook
    .command('relay')
    .description('Pull webhooks from a Pacer relay (token from PACER_RELAY_TOKEN), or stop with --off')
    .option('--url <url>', "the relay's https:// address")
    .option('--off', 'stop using the relay')
    .option('--json', 'print the resulting info as JSON')
    .action(async (o: { url?: string; off?: boolean }, cmd: Command) => {
      if (!o.url && !o.off) throw new CliError('Give --url URL (with PACER_RELAY_TOKEN set) or --off.', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const cfg = core.services.webhooks.config;
        try {
          if (o.off) await cfg.setRelay(null);
          else {
            const token = cli.io.env.PACER_RELAY_TOKEN;
            if (!token) throw new Error('Set PACER_RELAY_TOKEN to the token the relay printed when you paired this installation.');
            await cfg.setRelay(o.url!, token);
          }
        } catch (e) {
          throw new CliError(e instanceof Error ? e.message : String(e), EXIT_USAGE);
        }
        const info = await cli.call(core, 'webhooks:info', {});
        cli.print(cmd, info, () => humanInfo(info));
      });
    });
}
