import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import { PacerError } from '../errors';
import type { contactsMethods } from '../../../shared/contract/contacts';

type ContactsMethod = keyof typeof contactsMethods;

const notYet = () => {
  throw new PacerError('unavailable', 'not yet');
};

export function contactsHandlers(_ctx: CoreContext): HandlerGroup<ContactsMethod> {
  return {
    'import:preview': notYet,
    'import:start': notYet,
    'import:status': notYet,
    'import:report': notYet,
    'import:cancel': notYet,
    'import:mappings': notYet,
    'import:mapping-save': notYet,
    'import:mapping-delete': notYet,
    'contacts:query': notYet,
    'contacts:get': notYet,
    'contacts:update': notYet,
    'contacts:bulk': notYet,
    'contacts:opt-in': notYet,
    'contacts:opt-out': notYet,
    'contacts:delete': notYet,
    'contacts:subject-export': notYet,
    'contacts:export': notYet,
    'contacts:tags': notYet,
    'contacts:attributes': notYet,
    'contacts:stats': notYet,
    'segments:list': notYet,
    'segments:save': notYet,
    'segments:delete': notYet,
    'segments:count': notYet,
  };
}
