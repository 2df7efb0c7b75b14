import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../shared/contract/privacy';
import { useStore } from '../../store';

/** Entries whose subject is a campaign id (`cmp_…`): the campaign actions and its recipients' export. */
export const isCampaignSubject = (e: Pick<AuditEntry, 'action' | 'subject'>): boolean =>
  !!e.subject && (e.action.startsWith('campaign.') || e.action === 'campaigns.exported' || e.subject.startsWith('cmp_'));

/** Loads the campaign list the trail names campaigns from (the Settings page does not otherwise). */
export function useAuditCampaigns(): void {
  const init = useStore((s) => s.initCampaigns);
  const loaded = useStore((s) => s.campaigns !== null);
  useEffect(() => {
    if (!loaded) void init();
  }, [init, loaded]);
}

/**
 * The trail's "About" cell. A campaign is named as the user named it, never by its internal id (kept
 * in the tooltip, and in the CSV export's subject column); one that no longer exists reads "Deleted
 * campaign" in the UI language. Other subjects (a number, a file, an erased person's code) are
 * identifiers, shown left-to-right as code.
 */
export function AuditSubject({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation('settings');
  const campaigns = useStore((s) => s.campaigns);
  if (!entry.subject) return <td />;
  if (!isCampaignSubject(entry)) {
    return (
      <td className="mono" dir="ltr" style={{ wordBreak: 'break-all' }}>
        {entry.subject}
      </td>
    );
  }
  const id = entry.subject;
  const campaign = campaigns?.find((c) => c.id === id);
  return (
    <td data-testid="audit-campaign" data-campaign-id={id} title={id}>
      {campaigns === null ? (
        <span className="muted">…</span>
      ) : campaign ? (
        <bdi dir="auto" translate="no">
          {campaign.name}
        </bdi>
      ) : (
        <span className="muted" data-testid="audit-campaign-deleted">
          {t('audit.deletedCampaign')}
        </span>
      )}
    </td>
  );
}
