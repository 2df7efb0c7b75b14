import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ImageUp, Loader2, UserRound } from 'lucide-react';
import { api } from '../../api/client';
import { useStore } from '../../store';
import type { BusinessProfile } from '../../../shared/contract/whatsapp';

/** Meta's limits for a profile photo (the core checks them again). */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png'];

interface Picked {
  file: File;
  /** blob: URL of the picked file: the CSP allows blob: images, never remote ones. */
  url: string;
}

/** First bytes of a PNG (89 50 4E 47) or a JPEG (FF D8 FF). */
async function looksLikePhoto(file: File): Promise<boolean> {
  const b = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  return png || jpeg;
}

/**
 * The number's profile photo: a local preview of a newly picked file (the remote picture is only
 * noted, since the renderer loads no images from the internet), then upload + account:profile-update.
 */
export function ProfilePhoto({ numberId, profile }: { numberId: string; profile: BusinessProfile }) {
  const { t, i18n } = useTranslation('account');
  const update = useStore((s) => s.updateProfile);
  const toast = useStore((s) => s.toast);
  const sandbox = useStore((s) => s.account?.connection?.mode === 'sandbox');
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<Picked | null>(null);
  /** The photo saved in this session, shown in place of the remote one. */
  const [saved, setSaved] = useState<Picked | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  // Previews live as long as the card (the parent remounts it per number).
  const urls = useRef(new Set<string>());
  useEffect(() => {
    const all = urls.current;
    return () => {
      all.forEach((u) => URL.revokeObjectURL(u));
      all.clear();
    };
  }, []);
  const preview = (file: File): Picked => {
    const url = URL.createObjectURL(file);
    urls.current.add(url);
    return { file, url };
  };
  const forget = (p: Picked | null) => {
    if (!p) return;
    URL.revokeObjectURL(p.url);
    urls.current.delete(p.url);
  };

  const size = (bytes: number) =>
    bytes >= 1024 * 1024
      ? new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(
          Math.ceil((bytes / (1024 * 1024)) * 10) / 10,
        )
      : new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(Math.ceil(bytes / 1024));

  const drop = () => {
    forget(picked);
    setPicked(null);
    if (inputRef.current) inputRef.current.value = '';
  };

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setProblem(null);
    setDone(false);
    if (!file) return;
    if (!PHOTO_TYPES.includes(file.type) || !(await looksLikePhoto(file))) {
      drop();
      return setProblem(t('profile.photo.wrongType', { name: file.name }));
    }
    if (file.size > PHOTO_MAX_BYTES) {
      drop();
      return setProblem(t('profile.photo.tooLarge', { name: file.name, size: size(file.size), max: size(PHOTO_MAX_BYTES) }));
    }
    forget(picked);
    setPicked(preview(file));
  };

  const upload = async () => {
    if (!picked) return;
    setBusy(true);
    setProblem(null);
    const staged = await api.uploadFile(picked.file);
    const err = staged.ok ? await update(numberId, { photoFileId: staged.value.fileId }) : staged.message;
    if (staged.ok) void api.call('files:discard', { fileId: staged.value.fileId });
    setBusy(false);
    if (err) return setProblem(t('profile.photo.failed', { message: err }));
    forget(saved);
    setSaved(picked);
    setPicked(null);
    if (inputRef.current) inputRef.current.value = '';
    setDone(true);
    toast('success', t('profile.photo.savedToast'));
  };

  const shown = picked ?? saved;
  const note = picked
    ? t('profile.photo.pending', { name: picked.file.name, size: size(picked.file.size) })
    : saved
      ? t('profile.photo.savedHere')
      : profile.profilePictureUrl
        ? t('profile.photo.remote')
        : t('profile.photo.none');

  return (
    <div className="profile-photo" data-testid="profile-photo">
      <div className="profile-photo-frame">
        {shown ? (
          <img
            src={shown.url}
            alt={t(picked ? 'profile.photo.previewAlt' : 'profile.photo.savedAlt')}
            data-testid="profile-photo-preview"
          />
        ) : (
          <UserRound size={40} aria-hidden data-testid="profile-photo-placeholder" />
        )}
      </div>
      <div className="profile-photo-body">
        <h3>{t('profile.photo.title')}</h3>
        <p
          className="muted small"
          data-testid="profile-photo-note"
          data-state={picked ? 'pending' : saved ? 'saved' : profile.profilePictureUrl ? 'remote' : 'none'}
        >
          {note}
        </p>
        {sandbox && (saved || profile.profilePictureUrl) && !picked && (
          <p className="muted small" data-testid="profile-photo-sandbox">
            {t('profile.photo.sandbox')}
          </p>
        )}
        <div className="actions">
          <label className="btn photo-pick" aria-disabled={busy || undefined}>
            <ImageUp size={15} aria-hidden />
            {t('profile.photo.change')}
            <input
              ref={inputRef}
              type="file"
              accept="image/jpeg,image/png"
              className="visually-hidden"
              aria-describedby={`${inputId}-hint`}
              onChange={(e) => void pick(e)}
              disabled={busy}
              data-testid="profile-photo-input"
            />
          </label>
          {picked && (
            <>
              <button type="button" className="btn primary" onClick={() => void upload()} disabled={busy} data-testid="profile-photo-save">
                {busy && <Loader2 size={16} className="spin" aria-hidden />}
                {busy ? t('profile.photo.uploading') : t('profile.photo.save')}
              </button>
              <button type="button" className="btn ghost" onClick={drop} disabled={busy}>
                {t('common:actions.cancel')}
              </button>
            </>
          )}
        </div>
        <span id={`${inputId}-hint`} className="muted small">
          {t('profile.photo.hint', { max: size(PHOTO_MAX_BYTES) })}
        </span>
        {problem && (
          <div className="banner error small" role="alert" data-testid="profile-photo-error">
            {problem}
          </div>
        )}
        {done && (
          <div className="banner info small" role="status" data-testid="profile-photo-saved">
            {t('profile.photo.saved')}
          </div>
        )}
      </div>
    </div>
  );
}
