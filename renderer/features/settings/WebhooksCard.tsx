import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Copy, Send } from 'lucide-react';
import type { WebhookInfo, WebhookTestResult } from '../../../shared/contract/webhooks';
import { api } from '../../api/client';

type TestState = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; result: WebhookTestResult } | { kind: 'error'; message: string };

/** The port the receiver really listens on (it may differ from the configured one), else the configured one. */
function listeningPort(info: WebhookInfo): number {
  if (info.local_url) {
    const p = Number(new URL(info.local_url).port);
    if (p) return p;
  }
  return info.port;
}

/** Settings → Webhooks: where Meta must call, how to expose the receiver, and an end-to-end test. */
export function WebhooksCard() {
  const { t } = useTranslation('settings');
  const [info, setInfo] = useState<WebhookInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const [test, setTest] = useState<TestState>({ kind: 'idle' });

  const load = useCallback(async () => {
    const r = await api.call('webhooks:info', {});
    if (r.ok) {
      setInfo(r.value);
      setLoadError(null);
    } else setLoadError(r.message); // shown after the translated heading, as the technical detail
  }, []);
  useEffect(() => void load(), [load]);

  const copyToken = async () => {
    if (!info) return;
    try {
      await navigator.clipboard.writeText(info.verify_token);
      setCopied('done');
    } catch {
      setCopied('failed');
    }
  };

  const runTest = async () => {
    setTest({ kind: 'running' });
    const r = await api.call('webhooks:test', {});
    // The core's own words follow the translated heading as the technical detail (why the test could not run).
    setTest(r.ok ? { kind: 'done', result: r.value } : { kind: 'error', message: r.message });
    void load();
  };

  const port = info ? listeningPort(info) : null;
  const localUrl = info ? (info.local_url ?? `http://127.0.0.1:${port}${info.callback_path}`) : '';
  const relay = info?.relay;

  return (
    <section className="card" aria-labelledby="webhooks" data-testid="settings-webhooks">
      <div className="card-title">
        <h2 id="webhooks">{t('webhooks.title')}</h2>
        {info && (
          <span className={`badge ${info.running ? 'green' : 'yellow'}`} data-testid="webhook-receiver-state">
            {info.running ? t('webhooks.receiver.running') : t('webhooks.receiver.stopped')}
          </span>
        )}
      </div>
      <p className="small muted">{t('webhooks.intro')}</p>
      {loadError && (
        <div className="banner error" role="alert" data-testid="webhook-load-error">
          <span>
            <strong>{t('webhooks.loadFailed')}</strong> <bdi>{loadError}</bdi>
          </span>
        </div>
      )}
      {info && (
        <>
          {!info.app_secret_set && (
            <div className="banner warn" data-testid="webhook-secret-warning">
              <span>{t('webhooks.noSecret')}</span>
            </div>
          )}
          <dl className="kv">
            <dt>{t('webhooks.callbackUrl')}</dt>
            <dd>
              <span className="mono" data-testid="webhook-url">
                {localUrl}
              </span>
            </dd>
            <dt>{t('webhooks.port')}</dt>
            <dd>
              <span className="mono" data-testid="webhook-port">
                {port}
              </span>
            </dd>
            <dt>{t('webhooks.verifyToken')}</dt>
            <dd style={{ display: 'flex', alignItems: 'center', gap: 'var(--space-2)', flexWrap: 'wrap' }}>
              <span className="mono" data-testid="webhook-verify-token">
                {info.verify_token}
              </span>
              <button className="btn ghost" data-testid="webhook-copy-token" onClick={() => void copyToken()}>
                <Copy size={14} aria-hidden />
                {copied === 'done' ? t('webhooks.copied') : copied === 'failed' ? t('webhooks.copyFailed') : t('webhooks.copy')}
              </button>
            </dd>
            <dt>{t('webhooks.appSecret')}</dt>
            <dd data-testid="webhook-app-secret">
              {info.app_secret_set ? (
                <span className="badge green">{t('webhooks.secretSet')}</span>
              ) : (
                <span className="badge red">{t('secrets.notSet')}</span>
              )}
            </dd>
            <dt>{t('webhooks.relay.label')}</dt>
            <dd data-testid="webhook-relay">
              {!relay?.url ? (
                <span className="badge">{t('webhooks.relay.off')}</span>
              ) : (
                <span style={{ display: 'inline-flex', gap: 'var(--space-2)', alignItems: 'center', flexWrap: 'wrap' }}>
                  <span className={`badge ${relay.connected ? 'green' : 'yellow'}`}>
                    {relay.connected
                      ? t('webhooks.relay.connected')
                      : relay.running
                        ? t('webhooks.relay.connecting')
                        : t('webhooks.relay.notRunning')}
                  </span>
                  <span className="mono">{relay.url}</span>
                  {!relay.token_set && <span className="badge red">{t('webhooks.relay.noToken')}</span>}
                  {relay.last_error && (
                    <span className="small muted">
                      <bdi>{relay.last_error}</bdi>
                    </span>
                  )}
                </span>
              )}
            </dd>
            <dt>{t('webhooks.inbox')}</dt>
            <dd data-testid="webhook-inbox">{t('webhooks.inboxCounts', info.inbox)}</dd>
            {(info.ignored.foreign > 0 || info.ignored.no_account > 0) && (
              <>
                <dt>{t('webhooks.ignored.label')}</dt>
                <dd data-testid="webhook-ignored" style={{ display: 'grid', gap: 4 }}>
                  {info.ignored.foreign > 0 && (
                    <span data-testid="webhook-ignored-foreign">
                      <span className="badge yellow">{t('webhooks.ignored.foreign', { count: info.ignored.foreign })}</span>{' '}
                      <span className="small muted">{t('webhooks.ignored.foreignHelp')}</span>
                    </span>
                  )}
                  {info.ignored.no_account > 0 && (
                    <span data-testid="webhook-ignored-no-account">
                      <span className="badge">{t('webhooks.ignored.noAccount', { count: info.ignored.no_account })}</span>{' '}
                      <span className="small muted">{t('webhooks.ignored.noAccountHelp')}</span>
                    </span>
                  )}
                  {info.ignored.last && (
                    <span className="small muted" data-testid="webhook-ignored-last">
                      {t('webhooks.ignored.last', {
                        reason: t(`webhooks.ignored.reasons.${info.ignored.last.reason}`),
                        id: info.ignored.last.id || '—',
                      })}
                    </span>
                  )}
                </dd>
              </>
            )}
            {info.value_errors.count > 0 && (
              <>
                <dt>{t('webhooks.valueErrors.label')}</dt>
                <dd data-testid="webhook-value-errors" style={{ display: 'grid', gap: 4 }}>
                  <span>
                    <span className="badge red">{t('webhooks.valueErrors.count', { count: info.value_errors.count })}</span>{' '}
                    {info.value_errors.last && (
                      <span className="small" data-testid="webhook-value-errors-last">
                        <bdi>
                          {t('webhooks.valueErrors.last', {
                            code: info.value_errors.last.code,
                            title: info.value_errors.last.title ?? info.value_errors.last.message ?? '',
                          })}
                        </bdi>
                      </span>
                    )}
                  </span>
                  <span className="small muted">{t('webhooks.valueErrors.help')}</span>
                </dd>
              </>
            )}
          </dl>

          <h3>{t('webhooks.expose.title')}</h3>
          <p className="small muted">{t('webhooks.expose.intro')}</p>
          <div className="steps" data-testid="webhook-help">
            <div className="step">
              <span className="num">1</span>
              <div className="grow" style={{ display: 'grid', gap: 4 }}>
                <strong>{t('webhooks.expose.tunnel.title')}</strong>
                <span>
                  {t('webhooks.expose.tunnel.run')} <span className="mono">cloudflared tunnel --url http://127.0.0.1:{port}</span>{' '}
                  {t('webhooks.expose.or')}{' '}
                  <span className="mono" style={{ whiteSpace: 'nowrap' }}>
                    ngrok http {port}
                  </span>
                </span>
                <span>
                  {t('webhooks.expose.tunnel.meta')} <span className="mono">https://…{info.callback_path}</span>
                </span>
                <span className="small muted">{t('webhooks.expose.tunnel.note')}</span>
              </div>
            </div>
            <div className="step">
              <span className="num">2</span>
              <div className="grow" style={{ display: 'grid', gap: 4 }}>
                <strong>{t('webhooks.expose.relay.title')}</strong>
                <span>{t('webhooks.expose.relay.server')}</span>
                <span>
                  {t('webhooks.expose.relay.pair')}{' '}
                  <span className="mono">PACER_RELAY_TOKEN=… pacer webhook relay --url https://relay.example.com</span>
                </span>
                <span>
                  {t('webhooks.expose.relay.meta')} <span className="mono">https://relay.example.com{info.callback_path}</span>
                </span>
              </div>
            </div>
          </div>
          <p className="small muted">{t('webhooks.expose.fields')}</p>
        </>
      )}

      <div className="card-title">
        <span className="muted small">{t('webhooks.test.hint')}</span>
        <button
          className="btn primary"
          data-testid="webhook-test"
          disabled={test.kind === 'running' || !info}
          onClick={() => void runTest()}
        >
          <Send size={16} aria-hidden />
          {test.kind === 'running' ? t('webhooks.test.running') : t('webhooks.test.button')}
        </button>
      </div>
      {test.kind === 'error' && (
        <div className="banner error" role="alert" data-testid="webhook-test-result" data-ok="false">
          <span>
            <strong>{t('webhooks.test.couldNotRun')}</strong> <bdi data-testid="webhook-test-error">{test.message}</bdi>
          </span>
        </div>
      )}
      {test.kind === 'done' && (
        <div
          className={`banner ${test.result.ok ? 'info' : 'error'}`}
          role={test.result.ok ? 'status' : 'alert'}
          data-testid="webhook-test-result"
          data-ok={String(test.result.ok)}
        >
          <div style={{ display: 'grid', gap: 6 }}>
            <strong>{test.result.ok ? t('webhooks.test.passed') : t('webhooks.test.failed')}</strong>
            <ul style={{ margin: 0, paddingInlineStart: 0, listStyle: 'none', display: 'grid', gap: 4 }}>
              {test.result.steps.map((s) => (
                <li
                  key={s.step}
                  data-testid={`webhook-step-${s.step}`}
                  data-ok={String(s.ok)}
                  style={{ display: 'flex', gap: 'var(--space-2)', alignItems: 'center', flexWrap: 'wrap' }}
                >
                  <span className={`badge ${s.ok ? 'green' : 'red'}`}>{s.ok ? t('webhooks.test.ok') : t('webhooks.test.notOk')}</span>
                  <span>{t(`webhooks.test.steps.${s.step}`)}</span>
                  <span className="small muted">
                    <bdi>{s.detail}</bdi> · <bdi>{t('webhooks.test.ms', { ms: s.ms })}</bdi>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
