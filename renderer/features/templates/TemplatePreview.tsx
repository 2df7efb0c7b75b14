import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { CornerUpLeft, ExternalLink, FileText, Image as ImageIcon, MapPin, Phone, Copy, Video } from 'lucide-react';
import { formatRuns, type RenderedTemplate, type Segment } from '../../../shared/templates/render';

function Runs({ text }: { text: string }) {
  return (
    <>
      {formatRuns(text).map((r, i) => {
        let node: React.ReactNode = r.text;
        if (r.mono) node = <code>{node}</code>;
        if (r.bold) node = <strong>{node}</strong>;
        if (r.italic) node = <em>{node}</em>;
        if (r.strike) node = <s>{node}</s>;
        return <Fragment key={i}>{node}</Fragment>;
      })}
    </>
  );
}

function Segments({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.kind === 'text' ? (
          <Runs key={i} text={s.text} />
        ) : s.value === null ? (
          <mark key={i} className="wa-param missing" data-param={s.name}>{`{{${s.name}}}`}</mark>
        ) : (
          <mark key={i} className="wa-param" data-param={s.name} title={`{{${s.name}}}`}>
            {s.value}
          </mark>
        ),
      )}
    </>
  );
}

const MEDIA_ICON = { IMAGE: ImageIcon, VIDEO: Video, DOCUMENT: FileText, LOCATION: MapPin } as const;
const BUTTON_ICON = { QUICK_REPLY: CornerUpLeft, URL: ExternalLink, PHONE_NUMBER: Phone, COPY_CODE: Copy, OTHER: CornerUpLeft } as const;

/**
 * A template as the contact sees it in WhatsApp. The bubble takes the template's own direction and
 * language (a Hebrew template reads right-to-left even in an English UI). Media is a placeholder:
 * the preview never fetches remote images.
 */
export function TemplatePreview({ rendered }: { rendered: RenderedTemplate }) {
  const { t } = useTranslation('templates');
  const { header } = rendered;
  return (
    <div className="wa-chat" data-testid="template-preview" dir={rendered.dir}>
      <div className="wa-message" dir={rendered.dir} lang={rendered.lang}>
        <div className="wa-bubble" dir={rendered.dir} lang={rendered.lang} data-testid="template-bubble">
          {header?.kind === 'media' && (
            <div
              className={`wa-media ${header.format.toLowerCase()}`}
              data-testid="bubble-media"
              role="img"
              aria-label={t(`media.${header.format}`)}
            >
              {(() => {
                const Icon = MEDIA_ICON[header.format];
                return <Icon size={34} aria-hidden />;
              })()}
              <span dir="auto">{t(`media.${header.format}`)}</span>
            </div>
          )}
          {header?.kind === 'text' && (
            <div className="wa-header">
              <Segments segments={header.segments} />
            </div>
          )}
          <div className="wa-body" data-testid="bubble-body">
            <Segments segments={rendered.body} />
          </div>
          {rendered.footer && <div className="wa-footer">{rendered.footer}</div>}
          <span className="wa-time" aria-hidden dir="ltr">
            12:00
          </span>
        </div>
        {rendered.buttons.length > 0 && (
          <div className="wa-buttons">
            {rendered.buttons.map((b, i) => {
              const Icon = BUTTON_ICON[b.type];
              return (
                <div key={i} className="wa-button" title={b.target ?? undefined}>
                  <Icon size={15} aria-hidden />
                  <span>{b.text}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
