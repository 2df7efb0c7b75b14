import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FileText, Film, Loader2, Paperclip, X } from 'lucide-react';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import type { HeaderFile } from './draft';
import { errorText } from '../../../i18n/errorText';

type Kind = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

/** What the file dialog offers for each header kind (the core checks the content again). */
const ACCEPT: Record<Kind, string> = {
  IMAGE: 'image/jpeg,image/png,.jpg,.jpeg,.png',
  VIDEO: 'video/mp4,video/3gpp,.mp4,.3gp',
  DOCUMENT: 'application/pdf,.pdf',
};

/**
 * A template's media header: a public HTTPS link, or a file picked here and uploaded to WhatsApp
 * (campaigns:upload-media → media id). An attached file shows its name, size and a local preview
 * (images: a blob: URL — the renderer loads no remote images); Remove goes back to the link field.
 */
export function HeaderMediaField({
  kind,
  url,
  file,
  onUrl,
  onFile,
}: {
  kind: Kind;
  url: string;
  file: HeaderFile | null;
  onUrl: (url: string) => void;
  onFile: (file: HeaderFile | null) => void;
}) {
  const { t, i18n } = useTranslation('campaigns');
  const sandbox = useStore((s) => s.account?.connection?.mode === 'sandbox');
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  const size = (bytes: number) =>
    bytes >= 1024 * 1024
      ? new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(
          Math.ceil((bytes / (1024 * 1024)) * 10) / 10,
        )
      : new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(
          Math.max(1, Math.ceil(bytes / 1024)),
        );

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const picked = e.target.files?.[0];
    e.target.value = '';
    if (!picked) return;
    setProblem(null);
    setBusy(picked.name);
    const staged = await api.uploadFile(picked);
    const r = staged.ok
      ? await api.call('campaigns:upload-media', {
          fileId: staged.value.fileId,
          kind: kind.toLowerCase() as 'image' | 'video' | 'document',
        })
      : staged;
    if (staged.ok) void api.call('files:discard', { fileId: staged.value.fileId });
    setBusy(null);
    if (!r.ok) return setProblem(t('builder.headerUploadFailed', { name: picked.name, message: errorText(r) }));
    setPreview(kind === 'IMAGE' ? URL.createObjectURL(picked) : null);
    onFile(r.value);
  };

  const remove = () => {
    setPreview(null);
    onFile(null);
  };

  const Icon = kind === 'IMAGE' ? Paperclip : kind === 'VIDEO' ? Film : FileText;
  return (
    <div className="field" data-testid="builder-media-field">
      <label htmlFor="cmp-media">{t('builder.headerMedia', { kind: t(`media.${kind}`) })}</label>
      {file ? (
        <div className="cmp-media-attached" data-testid="builder-media-attached" data-media-id={file.id}>
          {preview ? (
            <img src={preview} alt={t('builder.headerPreviewAlt', { name: file.file_name ?? '' })} data-testid="builder-media-preview" />
          ) : (
            <Icon size={28} aria-hidden />
          )}
          <div className="cmp-media-body">
            <strong dir="auto" data-testid="builder-media-name">
              <bdi>{file.file_name ?? file.id}</bdi>
            </strong>
            <span className="small muted">
              {file.size !== undefined && (
                <>
                  <bdi>{size(file.size)}</bdi> ·{' '}
                </>
              )}
              {t('builder.headerUploaded', { id: file.id })}
            </span>
            <span className="hint">{sandbox ? t('builder.headerUploadedSandbox') : t('builder.headerExpiry')}</span>
          </div>
          <button type="button" className="btn ghost" onClick={remove} data-testid="builder-media-remove">
            <X size={16} aria-hidden />
            {t('builder.headerRemove')}
          </button>
        </div>
      ) : (
        <>
          <input
            id="cmp-media"
            className="input"
            dir="ltr"
            type="url"
            placeholder="https://…"
            value={url}
            onChange={(e) => onUrl(e.target.value)}
            data-testid="builder-media"
            disabled={busy !== null}
          />
          <span className="hint">{t('builder.headerMediaHint')}</span>
          <div className="cmp-media-upload">
            <span className="small muted">{t('builder.headerOr')}</span>
            <button
              type="button"
              className="btn"
              onClick={() => input.current?.click()}
              disabled={busy !== null}
              data-testid="builder-media-upload"
            >
              {busy ? <Loader2 size={16} aria-hidden className="cmp-spin" /> : <Icon size={16} aria-hidden />}
              {busy ? t('builder.headerUploading', { name: busy }) : t('builder.headerUpload')}
            </button>
            <input ref={input} type="file" hidden accept={ACCEPT[kind]} onChange={(e) => void pick(e)} data-testid="builder-media-file" />
          </div>
        </>
      )}
      {problem && (
        <div className="banner error small" role="alert" data-testid="builder-media-error">
          <span>{problem}</span>
        </div>
      )}
    </div>
  );
}
