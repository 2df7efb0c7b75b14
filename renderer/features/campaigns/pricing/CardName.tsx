import { useTranslation } from 'react-i18next';
import type { RateCardInfo } from '../../../../shared/contract/pricing';
import { cardDate } from './cardDate';

/**
 * Which rate card a figure comes from: Meta's card shipped with Pacer, one imported from Meta's
 * CSV, or the user's own rates — with its effective date and how many rates were edited by hand.
 */
export function CardName({ card, testid }: { card: RateCardInfo; testid?: string }) {
  const { t, i18n } = useTranslation('campaigns');
  const date = card.effective_from ? cardDate(card.effective_from, i18n.language) : t('pricing.card.undated');
  return (
    <span data-testid={testid ?? 'card-name'} data-origin={card.origin} data-edited={card.edited}>
      {t(`pricing.card.${card.origin}`, { date, source: card.source })}
      {card.edited > 0 && (
        <>
          {' '}
          · <span className="badge amber">{t('pricing.card.edited', { count: card.edited })}</span>
        </>
      )}
    </span>
  );
}
