import { useTranslation } from 'react-i18next';
import { CircleCheck, CircleHelp, CircleSlash } from 'lucide-react';
import type { ConsentCategory, ConsentState } from '../../../shared/contract/contacts';

const TONE: Record<ConsentState, string> = { opted_in: 'green', opted_out: 'red', unknown: '' };
const ICON = { opted_in: CircleCheck, opted_out: CircleSlash, unknown: CircleHelp };

/** "Marketing: opted in" as a coloured badge; `compact` shows the category's initial for the table. */
export function ConsentBadge({ category, state, compact }: { category: ConsentCategory; state: ConsentState; compact?: boolean }) {
  const { t } = useTranslation('contacts');
  const Icon = ICON[state];
  const label = `${t(`consent.category.${category}`)}: ${t(`consent.state.${state}`)}`;
  return (
    <span className={`badge ${TONE[state]}`} title={label} aria-label={label} data-testid={`consent-${category}`} data-state={state}>
      <Icon size={12} aria-hidden />
      {compact ? t(`consent.short.${category}`) : label}
    </span>
  );
}
