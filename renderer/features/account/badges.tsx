import { useTranslation } from 'react-i18next';
import type { PhoneStatus, QualityRating } from '../../../shared/contract/whatsapp';
import { qualityTone } from './format';

/** Quality as a colour badge with a word, never colour alone. */
export function QualityBadge({ quality, testId }: { quality: QualityRating; testId?: string }) {
  const { t } = useTranslation('account');
  return (
    <span className={`badge ${qualityTone(quality)}`} data-testid={testId} data-quality={quality}>
      <span className="qdot" aria-hidden />
      {t(`quality.${quality}`)}
    </span>
  );
}

export function PhoneStatusBadge({ status }: { status: PhoneStatus }) {
  const { t } = useTranslation('account');
  const tone =
    status === 'CONNECTED'
      ? 'green'
      : status === 'PENDING' || status === 'UNVERIFIED' || status === 'RATE_LIMITED'
        ? 'yellow'
        : status === 'UNKNOWN'
          ? ''
          : 'red';
  return (
    <span className={`badge ${tone}`} data-status={status}>
      {t(`phoneStatus.${status}`)}
    </span>
  );
}
