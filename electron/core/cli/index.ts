import { Command, CommanderError } from 'commander';
import { PACER_VERSION } from '../version';
import { registerAppCommands } from './commands/app';
import { registerServeCommand } from './commands/serve';
import { registerSandboxCommand } from './commands/sandbox';
import { registerContactsCommands } from './commands/contacts';
import { registerAccountCommands } from './commands/account';
import { registerTemplatesCommands } from './commands/templates';
import { registerCampaignCommands, registerRunCommand } from './commands/campaign';
import { registerWebhookCommands } from './commands/webhook';
import { registerAuditCommands } from './commands/audit';
import { registerRatesCommands } from './commands/rates';
import { createCliContext } from './context';
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io';

export function buildProgram(io: CliIo): Command {
  const cli = createCliContext(io);
  const program = new Command('pacer')
    .description("Pacer — WhatsApp template campaigns through the official Cloud API, paced to Meta's limits.")
    .version(PACER_VERSION, '-v, --version')
    .option('--data-dir <dir>', "data folder (default: the app's, or $PACER_DATA_DIR)")
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride();
  registerAppCommands(program, cli);
  registerServeCommand(program, cli);
  registerSandboxCommand(program, cli);
  registerContactsCommands(program, cli);
  registerAccountCommands(program, cli);
  registerTemplatesCommands(program, cli);
  registerCampaignCommands(program, cli);
  registerRunCommand(program, cli);
  registerWebhookCommands(program, cli);
  registerAuditCommands(program, cli);
  registerRatesCommands(program, cli);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI and returns its exit code; never calls process.exit itself (testable in-process). */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof CliError) {
      io.err(`pacer: ${e.message}`);
      return e.exitCode;
    }
    io.err(`pacer: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILED;
  }
}
