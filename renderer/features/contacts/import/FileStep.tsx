import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FileUp } from 'lucide-react';

const ACCEPT = '.csv,.tsv,.txt,.xlsx,.vcf,.vcard,text/csv,text/vcard,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Drop a file here or pick one; the format is detected from the content, not the name. */
export function FileStep({ busy, onFile }: { busy: boolean; onFile(f: File): void }) {
  const { t } = useTranslation('contacts');
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      data-testid="import-dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const f = e.dataTransfer.files[0];
        if (f) onFile(f);
      }}
    >
      <span className="icon" aria-hidden>
        <FileUp size={26} />
      </span>
      <h3>{busy ? t('import.file.reading') : t('import.file.drop')}</h3>
      <p className="muted small">{t('import.file.formats')}</p>
      <button className="btn primary" disabled={busy} onClick={() => input.current?.click()} data-autofocus>
        {t('import.file.pick')}
      </button>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        className="visually-hidden"
        data-testid="import-file-input"
        aria-label={t('import.file.pick')}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
    </div>
  );
}
