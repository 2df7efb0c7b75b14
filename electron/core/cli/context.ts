import type { Command } from 'commander';
import { createCore, type Core } from '../index';
import type { Host } from '../context';
import { PacerError } from '../errors';
import { encryptStoreIfPlaintext } from '../db/open-store';
import { KeyFileStoreKeyVault } from '../secrets/store-key';
import { encryptionProgressPrinter } from './encryption-progress';
import { CliError, defaultDataDir, EXIT_FAILED, EXIT_USAGE, type CliIo } from './io';
import type { MethodName, OutputOf } from '../../../shared/contract';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** What each command module gets: IO, global options, and a way to open the core. */
export interface CliContext {
  io: CliIo;
  globals(cmd: Command): GlobalOptions & { dataDir: string };
  /** Opens the core (taking the data-dir lock), runs fn, and always closes it. */
  withCore<T>(cmd: Command, fn: (core: Core) => Promise<T>, host?: Host): Promise<T>;
  /** Calls a contract method and unwraps the Result into a value or a CliError with the right exit code. */
  call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<OutputOf<M>>;
  /** Prints JSON with --json, or the human text otherwise. */
  print(cmd: Command, value: unknown, human: () => string): void;
}

export function createCliContext(io: CliIo): CliContext {
  const globals = (cmd: Command) => {
    const o = cmd.optsWithGlobals<GlobalOptions>();
    return { ...o, dataDir: o.dataDir ?? defaultDataDir(io.env) };
  };
  return {
    io,
    globals,
    async withCore(cmd, fn, host = 'cli') {
      let core: Core;
      const dataDir = globals(cmd).dataDir;
      try {
        const storeKeys = new KeyFileStoreKeyVault(dataDir); // process.env, as createCore's secrets vault
        // A store from a Pacer before encryption is encrypted once, here, with progress on stderr.
        await encryptStoreIfPlaintext({ dataDir, host, keys: storeKeys, onProgress: encryptionProgressPrinter(io) });
        core = createCore({ dataDir, host, storeKeys });
      } catch (e) {
        if (e instanceof PacerError) throw new CliError(e.message, EXIT_FAILED);
        throw e;
      }
      try {
        return await fn(core);
      } finally {
        await core.close();
      }
    },
    async call(core, method, input) {
      const r = await core.call(method, input);
      if (r.ok) return r.value;
      throw new CliError(r.message, r.code === 'bad_input' ? EXIT_USAGE : EXIT_FAILED);
    },
    print(cmd, value, human) {
      io.out(globals(cmd).json ? JSON.stringify(value) : human());
    },
  };
}
