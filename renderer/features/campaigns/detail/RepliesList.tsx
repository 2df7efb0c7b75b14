import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageSquareReply } from 'lucide-react';
import type { CampaignReply } from '../../../../shared/contract/replies';
import { api } from '../../../api/client';
import { useCampaignFormat } from '../format';

const LIMIT = 500;

/** A reply's words: the text written, or the tapped button's label with its payload beside it. */
export function ReplyText({ r }: { r: Pick<CampaignReply, 'kind' | 'text' | 'payload'> }) {
  const { t } = useTranslation('campaigns');
  const known = ['text', 'button', 'interactive'].includes(r.kind);
  return (
    <span className="cmp-reply" data-testid="reply-text">
      {r.text ? <bdi dir="auto">{r.text}</bdi> : <span className="muted">{t(`replies.kind.${known ? 'empty' : 'media'}`)}</span>}
      {r.payload && r.payload !== r.text && (
        <span className="badge mono" title={t('replies.payload')} data-testid="reply-payload">
          <bdi>{r.payload}</bdi>
        </span>
      )}
    </span>
  );
}

/**
 * The "Replied" filter of the recipient table: who wrote back, newest first, with what they wrote —
 * linked to this campaign by WhatsApp's reply context or the 72-hour reply window (campaigns.md).
 */
export function RepliesList({ id, version }: { id: string; version: number }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const [data, setData] = useState<{ total: number; people: number; replies: CampaignReply[] } | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('campaigns:replies', { id, limit: LIMIT }).then((r) => {
      if (live && r.ok) setData(r.value);
    });
    return () => {
      live = false;
    };
  }, [id, version]);
  if (!data) return null;
  return (
    <div className="cmp-replies" data-testid="replies-list">
      <p className="small muted" data-testid="replies-count">
        {t('replies.count', { count: data.total, n: f.number(data.total) })}
        {/* Who replied: the funnel's "replied" counts the same people (one may write several times). */}
        {data.total > 0 && (
          <span data-testid="replies-people" data-value={data.people}>
            {' '}
            {t('replies.people', { count: data.people, n: f.number(data.people) })}
          </span>
        )}
      </p>
      {data.total === 0 ? (
        <p className="muted small cmp-none">{t('replies.none')}</p>
      ) : (
        <ul className="cmp-replies-list">
          {data.replies.map((r) => (
            <li key={r.id} data-testid="reply-item" data-link={r.link}>
              <MessageSquareReply size={15} aria-hidden className="muted flip-rtl" />
              <span className="cmp-reply-who">
                <strong>
                  <bdi>{r.name || t('replies.noName')}</bdi>
                </strong>{' '}
                <bdi className="ltr mono small muted">{r.phone ?? t('recipients.erased')}</bdi>
              </span>
              <ReplyText r={r} />
              <span className="small muted" title={t(`replies.link.${r.link}`)}>
                {f.dateTime(r.at)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
