import type { Command } from 'commander';
import type { CliContext } from '../context';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../io';
import type { AccountStatus } from '../../../../shared/contract/whatsapp';

/** `pacer account status --json`: EXACTLY the keys of the CLI contract (../shared/design/cli.md). */
export function accountStatusJson(s: AccountStatus) {
  return {
    portfolio: {
      messaging_limit: s.portfolio.messagingLimit,
      used_24h: s.portfolio.used24h,
      remaining_24h: s.portfolio.remaining24h,
    },
    phone_numbers: s.phoneNumbers.map((n) => ({
      id: n.id,
      display_phone_number: n.displayPhoneNumber,
      verified_name: n.verifiedName,
      quality_rating: n.qualityRating,
      messaging_limit: n.messagingLimit,
      throughput: n.throughput,
      status: n.status,
    })),
  };
}

const BLOCKER_TEXT: Record<AccountStatus['blockers'][number], string> = {
  not_connected: 'no account connected — run `pacer account connect`',
  token_missing: 'no access token stored',
  token_expired: 'the access token has expired (190) — reconnect with a new token',
  token_invalid: 'the access token was rejected — reconnect with a valid token',
  no_connected_number: 'no phone number is CONNECTED',
  account_restricted: 'Meta restricted the account — see WhatsApp Manager',
};

export function accountStatusText(s: AccountStatus): string {
  if (!s.connection)
    return 'Not connected. Run `pacer account connect --waba-id ID --phone-number-id ID` (token from PACER_ACCESS_TOKEN), or `pacer account use-sandbox`.';
  const p = s.portfolio;
  const lines = [
    `Connected (${s.connection.mode}) to ${s.connection.graphUrl} ${s.connection.apiVersion}, WABA ${s.connection.wabaId}`,
    `Access token: ${s.token.state}${s.secrets.accessToken.last4 ? ` (…${s.secrets.accessToken.last4})` : ''}${s.token.errorCode ? `, code ${s.token.errorCode}` : ''}`,
    `Messaging limit: ${p.messagingLimit}; used in the last 24 h: ${p.used24h}; remaining: ${p.remaining24h ?? 'no fixed limit'}`,
    'Phone numbers:',
    ...s.phoneNumbers.map(
      (n) =>
        `  ${n.primary ? '*' : ' '} ${n.displayPhoneNumber.padEnd(16)} ${n.verifiedName.padEnd(24)} quality ${n.qualityRating.padEnd(7)} ${n.throughput.padEnd(8)} ${n.status}  (id ${n.id})`,
    ),
    s.canSend ? 'Sending: allowed' : `Sending: BLOCKED — ${s.blockers.map((b) => BLOCKER_TEXT[b]).join('; ')}`,
  ];
  if (s.lastError) lines.push(`Last error: ${s.lastError.message}`);
  return lines.join('\n');
}

/** Reads a secret from the terminal without echoing it. Only when stdin is a TTY. */
async function promptSecret(label: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return '';
  process.stderr.write(label);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value.trim());
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return reject(new CliError('Cancelled.', EXIT_FAILED));
        }
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

export function registerAccountCommands(program: Command, cli: CliContext): void {
  const account = program.command('account').description('Connect a WhatsApp Business account and see its health');

  account
    .command('connect')
    .description('Connect (validated live). Secrets from PACER_ACCESS_TOKEN / PACER_APP_SECRET or a prompt — never from the command line.')
    .requiredOption('--waba-id <id>', 'WhatsApp Business Account id')
    .requiredOption('--phone-number-id <id>', 'phone number id (not the phone number)')
    .option('--graph-url <url>', 'Cloud-API-compatible base URL (sandbox, test double, BSP proxy)')
    .option('--api-version <vNN.N>', 'Graph API version (default v24.0)')
    .option('--verify-token <text>', "webhook verify token (as typed in Meta's App Dashboard)")
    .option('--json', 'print JSON')
    .action(
      async (o: { wabaId: string; phoneNumberId: string; graphUrl?: string; apiVersion?: string; verifyToken?: string }, cmd: Command) => {
        const env = cli.io.env;
        let accessToken = env.PACER_ACCESS_TOKEN?.trim() || '';
        let appSecret = env.PACER_APP_SECRET?.trim() || '';
        await cli.withCore(cmd, async (core) => {
          const stored = (await cli.call(core, 'account:status', {})).secrets;
          if (!accessToken)
            accessToken = await promptSecret(
              `Access token${stored.accessToken.set ? ` (Enter keeps …${stored.accessToken.last4})` : ''}: `,
            );
          if (!accessToken && !stored.accessToken.set) {
            throw new CliError(
              'No access token: set PACER_ACCESS_TOKEN (or run in a terminal to be asked). Tokens are never read from the command line.',
              EXIT_USAGE,
            );
          }
          if (!appSecret && !env.PACER_ACCESS_TOKEN)
            appSecret = await promptSecret(
              `App secret${stored.appSecret.set ? ` (Enter keeps …${stored.appSecret.last4})` : ' (Enter to skip)'}: `,
            );
          const status = await cli.call(core, 'account:connect', {
            wabaId: o.wabaId,
            phoneNumberId: o.phoneNumberId,
            ...(accessToken ? { accessToken } : {}),
            ...(appSecret ? { appSecret } : {}),
            ...(o.graphUrl ? { graphUrl: o.graphUrl } : {}),
            ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}),
            ...(o.verifyToken ? { verifyToken: o.verifyToken } : {}),
          });
          cli.print(cmd, accountStatusJson(status), () => accountStatusText(status));
        });
      },
    );

  account
    .command('status')
    .description("Portfolio messaging limit and 24-hour budget, and each phone number's health")
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const status = await cli.call(core, 'account:status', {});
        cli.print(cmd, accountStatusJson(status), () => accountStatusText(status));
      });
    });

  account
    .command('refresh')
    .description('Re-read numbers and limits from the API now')
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const status = await cli.call(core, 'account:refresh', {});
        cli.print(cmd, accountStatusJson(status), () => accountStatusText(status));
      });
    });

  account
    .command('use-sandbox')
    .description('Connect to the built-in Cloud API emulator (restarted in-process by each later command)')
    .option('--port <port>', 'port on 127.0.0.1 (default: any free one)', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(async (o: { port?: number }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const status = await cli.call(core, 'account:use-sandbox', o.port !== undefined ? { port: o.port } : {});
        cli.print(cmd, accountStatusJson(status), () => accountStatusText(status));
      });
    });

  account
    .command('disconnect')
    .description('Forget the connection (templates and history are kept)')
    .option('--forget-secrets', 'also delete the stored access token and app secret')
    .action(async (o: { forgetSecrets?: boolean }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        await cli.call(core, 'account:disconnect', { forgetSecrets: !!o.forgetSecrets });
        cli.io.out('Disconnected.');
      });
    });
}
