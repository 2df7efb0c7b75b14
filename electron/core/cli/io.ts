import os from 'node:os';
import path from 'node:path';

/** Exit codes of the CLI contract: 0 success, 1 the operation failed, 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = EXIT_FAILED,
  ) {
    super(message);
  }
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands await it. */
  untilSignal(): Promise<string>;
}

export const processIo = (): CliIo => ({
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  env: process.env,
  untilSignal: () =>
    new Promise((resolve) => {
      const on = (sig: string) => () => resolve(sig);
      process.once('SIGINT', on('SIGINT'));
      process.once('SIGTERM', on('SIGTERM'));
    }),
});

/** The Electron app's userData folder for productName "Pacer", so the CLI and the app share data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PACER_DATA_DIR) return path.resolve(env.PACER_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Pacer');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Pacer');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Pacer');
  }
}
