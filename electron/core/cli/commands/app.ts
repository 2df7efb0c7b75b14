import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { VaultInfo } from '../../../../shared/contract/app';

export const VAULT_WARNINGS: Record<NonNullable<VaultInfo['warning']>, string> = {
  key_file: 'encrypted with a key file readable only by your user (0600); the desktop app uses the OS keychain instead',
  environment: 'taken from PACER_ACCESS_TOKEN / PACER_APP_SECRET for this process',
  basic_text: 'no system keyring found: encrypted with a built-in key',
  unavailable: 'no usable system keychain: secrets cannot be saved',
};

export function registerAppCommands(program: Command, cli: CliContext): void {
  program
    .command('info')
    .description('Show the data folder, schema version and where secrets are kept')
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const info = await cli.call(core, 'app:info', {});
        cli.print(cmd, info, () =>
          [
            `Pacer ${info.version}`,
            `Data folder:   ${info.dataDir}`,
            `Schema:        v${info.schemaVersion}`,
            `Secrets:       ${info.vault.backend}${info.vault.warning ? ` — ${VAULT_WARNINGS[info.vault.warning]}` : ''}`,
          ].join('\n'),
        );
      });
    });
}
