import { useTranslation } from 'react-i18next';
import { FileText } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function TemplatesPage() {
  const { t } = useTranslation('pages');
  return (
    <div className="page">
      <PageHeader title={t('templates.title')} subtitle={t('templates.subtitle')} />
      <EmptyState icon={FileText} title={t('templates.emptyTitle')} body={t('templates.emptyBody')} />
    </div>
  );
}
