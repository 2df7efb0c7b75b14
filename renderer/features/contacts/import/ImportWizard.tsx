import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowLeft, ArrowRight, Check } from 'lucide-react';
import type { ConsentCategory, ImportEncoding, ImportOptions, ImportPreview } from '../../../../shared/contract/contacts';
import type { StagedFileInfo } from '../../../../shared/contract/app';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { Modal } from '../Modal';
import { FileStep } from './FileStep';
import { ImportHistory } from './ImportHistory';
import { MappingStep } from './MappingStep';
import { columnsFrom, mappingProblems, toMapping, type ColumnMapping } from './mapping';
import { OptionsStep, type ImportChoices } from './OptionsStep';
import { PreviewStep } from './PreviewStep';
import { ProgressView, ReportView } from './ReportView';
import { useImportJob } from './useImportJob';
import { fileErrorText } from './fileErrors';

export const STEPS = ['file', 'preview', 'mapping', 'options', 'check', 'import', 'done'] as const;
export type Step = (typeof STEPS)[number];

/**
 * The import wizard: file → preview (format, encoding, sheet) → mapping → options → dry run
 * (nothing written; rejected rows listed) → import with progress and cancel → summary.
 * The core does the work; this component only gathers choices and follows the job.
 */
export function ImportWizard() {
  const { t, i18n } = useTranslation('contacts');
  const close = useStore((s) => s.openImport);
  const changed = useStore((s) => s.contactsChanged);
  const defaultCountry = useStore((s) => s.settings?.defaultCountry ?? 'IL');
  const [step, setStep] = useState<Step>('file');
  const [file, setFile] = useState<StagedFileInfo | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  // A header-only file stops here, with the reason, not at the last step.
  const noRows = preview?.warnings.includes('no_rows') ?? false;
  const [encoding, setEncoding] = useState<ImportEncoding | undefined>();
  const [sheet, setSheet] = useState<string | undefined>();
  const [columns, setColumns] = useState<ColumnMapping[]>([]);
  const [saveAs, setSaveAs] = useState('');
  const [choices, setChoices] = useState<ImportChoices>({
    defaultCountry,
    tags: [],
    consent: false,
    consentCategory: 'marketing',
    consentSource: '',
    onDuplicate: 'skip',
  });
  const [error, setError] = useState<string | null>(null);
  const [technical, setTechnical] = useState<string | null>(null);
  const clearError = () => {
    setError(null);
    setTechnical(null);
  };
  const [busy, setBusy] = useState(false);
  const { job, running, start, cancel, reset } = useImportJob();

  // Forget the uploaded copy when the wizard closes.
  useEffect(
    () => () => {
      if (file) void api.call('files:discard', { fileId: file.fileId });
    },
    [file],
  );

  const loadPreview = async (staged: StagedFileInfo, enc?: ImportEncoding, sh?: string) => {
    setBusy(true);
    const r = await api.call('import:preview', { fileId: staged.fileId, encoding: enc, sheet: sh });
    setBusy(false);
    if (!r.ok) {
      // The reason the file was refused, worded here (fileErrors.ts); anything else: a generic
      // sentence, the core's English text folded under "Technical details".
      const text = fileErrorText(t, i18n.language, r.details);
      setError(text ?? t('import.fileError.other'));
      setTechnical(text ? null : r.message);
      return false;
    }
    clearError();
    setPreview(r.value);
    setColumns(columnsFrom(r.value.headers, r.value.mapping));
    // The numbers that carry a country code propose the default country for those that do not.
    const proposed = r.value.guesses?.country?.country;
    if (proposed) setChoices((c) => ({ ...c, defaultCountry: proposed }));
    return true;
  };

  const pickFile = async (f: File) => {
    clearError();
    setBusy(true);
    const up = await api.uploadFile(f);
    setBusy(false);
    if (!up.ok) {
      setError(t('import.fileError.other'));
      return setTechnical(up.message);
    }
    setFile(up.value);
    setEncoding(undefined);
    setSheet(undefined);
    if (await loadPreview(up.value)) setStep('preview');
  };

  const options = (dryRun: boolean): ImportOptions => ({
    fileId: file!.fileId,
    mapping: toMapping(columns),
    defaultCountry: choices.defaultCountry,
    tags: choices.tags,
    consent: choices.consent ? (choices.consentCategory as ConsentCategory) : null,
    consentSource: choices.consent && choices.consentSource.trim() ? choices.consentSource.trim() : undefined,
    onDuplicate: choices.onDuplicate,
    encoding,
    sheet,
    dryRun,
    saveMappingAs: !dryRun && saveAs.trim() ? saveAs.trim() : undefined,
  });

  const run = async (dryRun: boolean) => {
    clearError();
    reset();
    setStep(dryRun ? 'check' : 'import');
    const err = await start(options(dryRun));
    if (err) {
      setTechnical(null);
      setError(err);
    }
  };

  // The real import ended: show the summary (or stay to show why it stopped).
  useEffect(() => {
    if (step === 'import' && job?.result && !job.dryRun) {
      if (job.result.state === 'done') {
        setStep('done');
        changed();
      }
    }
  }, [step, job, changed]);

  const problems = mappingProblems(columns);
  const consentIncomplete = choices.consent && !choices.consentSource.trim();
  const report = job?.result?.report ?? null;
  const wouldImport = report ? report.imported + report.updated : 0;

  const back: Partial<Record<Step, Step>> = { preview: 'file', mapping: 'preview', options: 'mapping', check: 'options' };
  const prev = back[step];
  const footer = (
    <>
      {prev && !running && (
        <button
          className="btn"
          onClick={() => {
            clearError();
            setStep(prev);
          }}
          data-testid="wizard-back"
        >
          <ArrowLeft size={16} className="flip-rtl" aria-hidden />
          {t('common:actions.back')}
        </button>
      )}
      <span className="grow" />
      {step === 'preview' && (
        <button
          className="btn primary"
          onClick={() => setStep('mapping')}
          disabled={busy || noRows}
          data-testid="wizard-next"
          title={noRows ? t('import.warnings.no_rows') : undefined}
          aria-describedby={noRows ? 'preview-no-rows' : undefined}
        >
          {t('common:actions.continue')}
          <ArrowRight size={16} className="flip-rtl" aria-hidden />
        </button>
      )}
      {step === 'mapping' && (
        <button className="btn primary" onClick={() => setStep('options')} disabled={problems.length > 0} data-testid="wizard-next">
          {t('common:actions.continue')}
          <ArrowRight size={16} className="flip-rtl" aria-hidden />
        </button>
      )}
      {step === 'options' && (
        <button className="btn primary" onClick={() => void run(true)} disabled={!!consentIncomplete} data-testid="wizard-check">
          {t('import.checkFile')}
          <ArrowRight size={16} className="flip-rtl" aria-hidden />
        </button>
      )}
      {step === 'check' && job?.result?.state === 'done' && (
        <button className="btn primary" onClick={() => void run(false)} disabled={wouldImport === 0} data-testid="wizard-import">
          {t('import.importNow', { count: wouldImport })}
        </button>
      )}
      {(step === 'check' || step === 'import') && running && (
        // Once saving has begun the transaction runs to its end (all or nothing): no cancel then.
        <button
          className="btn danger"
          onClick={() => void cancel()}
          disabled={job?.progress?.phase === 'writing'}
          title={job?.progress?.phase === 'writing' ? t('import.cancelWhileSaving') : undefined}
          data-testid="wizard-cancel"
        >
          {t('import.cancel')}
        </button>
      )}
      {step === 'import' && job?.result && job.result.state !== 'done' && (
        <button
          className="btn"
          onClick={() => {
            reset();
            setStep('options');
          }}
          data-testid="wizard-restart"
        >
          {t('import.backToOptions')}
        </button>
      )}
      {step === 'done' && (
        <button className="btn primary" onClick={() => close(false)} data-testid="wizard-finish">
          <Check size={16} aria-hidden />
          {t('import.viewContacts')}
        </button>
      )}
    </>
  );

  return (
    <Modal title={t('import.title')} wide onClose={() => !running && close(false)} footer={footer} testId="import-wizard">
      <ol className="wizard-steps" aria-label={t('import.progressLabel')}>
        {STEPS.map((s, i) => {
          const at = STEPS.indexOf(step);
          return (
            <li key={s} aria-current={s === step ? 'step' : undefined} className={i < at ? 'done' : undefined}>
              <span className="num" aria-hidden>
                {i < at ? <Check size={12} /> : i + 1}
              </span>
              <span>{t(`import.steps.${s}`)}</span>
            </li>
          );
        })}
      </ol>
      <div className="wizard-body" data-testid={`wizard-step-${step}`}>
        {error && (
          <div className="banner error" role="alert" data-testid="wizard-error">
            <span>{error}</span>
            {technical && (
              <details className="small">
                <summary>{t('import.fileError.technical')}</summary>
                <p lang="en" dir="ltr" translate="no">
                  {technical}
                </p>
              </details>
            )}
          </div>
        )}
        {step === 'file' && (
          <>
            <FileStep busy={busy} onFile={(f) => void pickFile(f)} />
            <ImportHistory />
          </>
        )}
        {step === 'preview' && preview && (
          <PreviewStep
            preview={preview}
            busy={busy}
            onEncoding={(e) => {
              setEncoding(e);
              void loadPreview(file!, e, sheet);
            }}
            onSheet={(s) => {
              setSheet(s);
              void loadPreview(file!, encoding, s);
            }}
          />
        )}
        {step === 'mapping' && preview && (
          <MappingStep preview={preview} columns={columns} onChange={setColumns} problems={problems} saveAs={saveAs} onSaveAs={setSaveAs} />
        )}
        {step === 'options' && (
          <OptionsStep
            value={choices}
            onChange={setChoices}
            consentColumn={columns.find((c) => c.choice === 'consent')?.column ?? null}
            proposed={preview?.guesses?.country ?? null}
          />
        )}
        {(step === 'check' || step === 'import') && job && !job.result && <ProgressView job={job} />}
        {(step === 'check' || step === 'import' || step === 'done') && job?.result && (
          <ReportView job={job.result} kind={step === 'check' ? 'dryRun' : 'final'} />
        )}
      </div>
    </Modal>
  );
}
