import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowDownLeft, ArrowUpRight } from 'lucide-react';
import type { ConversationItem } from '../../../../shared/contract/replies';
import { api } from '../../../api/client';
import { useFormat } from '../format';

/**
 * The contact's timeline: the campaign messages Pacer sent them, each with its current state from
 * the send ledger, and what they wrote back (text, or a tapped button and its payload), newest
 * first. `version` reloads it (the drawer bumps it when the contact changes).
 */
export function Conversation({ contactId }: { contactId: number }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const [items, setItems] = useState<ConversationItem[] | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('contacts:conversation', { id: contactId }).then((r) => {
      if (live && r.ok) setItems(r.value);
    });
    return () => {
      live = false;
    };
  }, [contactId]);
  return (
    <section aria-labelledby="d-messages">
      <h3 id="d-messages">{t('drawer.conversation.title')}</h3>
      {items === null ? null : items.length === 0 ? (
        <p className="muted small">{t('drawer.noMessages')}</p>
      ) : (
        <ol className="conversation" data-testid="drawer-conversation">
          {items.map((m, i) => (
            <li key={i} className={`conv-${m.direction}`} data-testid="conversation-item" data-direction={m.direction}>
              <span className="conv-icon" aria-hidden>
                {m.direction === 'out' ? <ArrowUpRight size={14} /> : <ArrowDownLeft size={14} />}
              </span>
              <div className="conv-body">
                {m.direction === 'out' ? (
                  <>
                    <span className="small">{t('drawer.conversation.sent', { campaign: m.campaign_name ?? m.template ?? '—' })}</span>{' '}
                    {m.state && (
                      <span className={`badge ${m.state === 'failed' ? 'red' : ''}`} data-testid="conversation-state">
                        {t(`campaigns:recipientState.${m.state}`)}
                      </span>
                    )}
                  </>
                ) : (
                  <>
                    {m.text ? (
                      <bdi dir="auto" className="conv-text">
                        {m.text}
                      </bdi>
                    ) : (
                      <span className="muted small">{t('drawer.conversation.media')}</span>
                    )}
                    {m.payload && m.payload !== m.text && (
                      <span className="badge mono" title={t('drawer.conversation.payload')}>
                        <bdi>{m.payload}</bdi>
                      </span>
                    )}
                    {m.campaign_name && (
                      <span className="small muted"> · {t('drawer.conversation.replyTo', { campaign: m.campaign_name })}</span>
                    )}
                  </>
                )}
              </div>
              <time className="small muted">{f.time(m.at)}</time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
