import { useTranslation } from 'react-i18next';
import type { TemplateQuality, TemplateStatus } from '../../../shared/contract/whatsapp';
import { qualityTone } from '../account/format';

const STATUS_TONE: Record<TemplateStatus, string> = {
  APPROVED: 'green',
  PENDING: 'blue',
  IN_APPEAL: 'blue',
  PAUSED: 'yellow',
  LIMIT_EXCEEDED: 'yellow',
  PENDING_DELETION: 'yellow',
  ARCHIVED: '',
  REJECTED: 'red',
  DISABLED: 'red',
  DELETED: '',
  UNKNOWN: '',
};

export function TemplateStatusBadge({ status }: { status: TemplateStatus }) {
  const { t } = useTranslation('templates');
  return (
    <span className={`badge ${STATUS_TONE[status]}`} data-testid="template-status" data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

export function TemplateQualityBadge({ quality }: { quality: TemplateQuality }) {
  const { t } = useTranslation('templates');
  return (
    <span className={`badge ${qualityTone(quality)}`} data-testid="template-quality" data-quality={quality}>
      <span className="qdot" aria-hidden />
      {t(`quality.${quality}`)}
    </span>
  );
}
