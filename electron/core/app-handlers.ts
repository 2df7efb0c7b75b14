import type { HandlerGroup } from './api/handlers';
import type { CoreContext } from './context';
import { secretStatus } from './secrets/vault';
import { migrations } from './db/migrations';
import type { appMethods } from '../../shared/contract/app';

type AppMethod = keyof typeof appMethods;

export function appHandlers(ctx: CoreContext): HandlerGroup<AppMethod> {
  return {
    'app:info': () => ({
      name: 'Pacer',
      version: ctx.version,
      dataDir: ctx.dataDir,
      host: ctx.host,
      platform: process.platform,
      schemaVersion: migrations.length,
      vault: ctx.secrets.info(),
    }),
    'settings:get': () => ctx.settings.get(),
    'settings:update': (patch) => ctx.settings.update(patch),
    'secrets:status': () => secretStatus(ctx.secrets),
    'secrets:set': async ({ name, value }) => {
      await ctx.secrets.set(name, value.trim());
      ctx.log.info('secret updated', { name });
      return secretStatus(ctx.secrets);
    },
    'files:discard': ({ fileId }) => {
      ctx.files.discard(fileId);
      return null;
    },
    'secrets:clear': async ({ name }) => {
      await ctx.secrets.clear(name);
      ctx.log.info('secret cleared', { name });
      return secretStatus(ctx.secrets);
    },
  };
}
