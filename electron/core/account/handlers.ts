import type { HandlerGroup } from '../api/handlers';
import type { whatsappMethods } from '../../../shared/contract/whatsapp';
import type { AccountService } from './service';

type AccountMethod = Extract<keyof typeof whatsappMethods, `account:${string}`>;

/** The account's contract methods (shared/contract/whatsapp.ts), served by the one AccountService. */
export function accountHandlers(account: AccountService): HandlerGroup<AccountMethod> {
  return {
    'account:status': () => account.status(),
    'account:connect': (input) => account.connect(input),
    'account:use-sandbox': (input) => account.useSandbox(input),
    'account:disconnect': (input) => account.disconnect(input),
    'account:refresh': () => account.refresh(),
    'account:history': (input) => account.history(input),
    'account:profile-get': (input) => account.profileGet(input),
    'account:profile-update': (input) => account.profileUpdate(input),
  };
}
