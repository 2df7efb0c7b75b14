import fs from 'node:fs';
import tls from 'node:tls';
import type { Settings } from '../../../shared/settings';
import type { Logger } from '../log';

/**
 * Which certificate authorities Graph calls trust. Behind a TLS-inspecting proxy the proxy's CA
 * must be added, and the usual way (NODE_EXTRA_CA_CERTS, NODE_OPTIONS=--use-system-ca) is closed
 * in the packaged app by its fuses. So settings.json may name a PEM file (`caFile`) and/or ask for
 * the OS store (`systemCa`, Node's tls.getCACertificates('system'): Keychain, Windows store,
 * /etc/ssl on Linux). Returns undefined when nothing is added: Node's bundled list applies.
 *
 * A `ca` list replaces Node's defaults, so the bundled roots always come first. A CA file that
 * cannot be read or holds no certificate is logged and skipped: Pacer still starts, and Graph
 * calls fail with the proxy's certificate error, which the log explains.
 */
export function trustedCertificates(
  settings: Pick<Settings, 'caFile' | 'systemCa'>,
  log: Pick<Logger, 'warn' | 'info'>,
  source: { readFile?: (file: string) => string; store?: (type: 'bundled' | 'system') => string[] } = {},
): string[] | undefined {
  const readFile = source.readFile ?? ((file: string) => fs.readFileSync(file, 'utf8'));
  const store =
    source.store ?? ((type: 'bundled' | 'system') => (typeof tls.getCACertificates === 'function' ? tls.getCACertificates(type) : []));
  const extra: string[] = [];
  if (settings.systemCa) {
    const system = store('system');
    if (system.length) extra.push(...system);
    else log.warn('systemCa is set but this runtime cannot read the system certificate store');
  }
  if (settings.caFile) {
    try {
      const pems = readFile(settings.caFile).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      if (pems.length) extra.push(...pems);
      else log.warn('caFile holds no PEM certificate; ignored', { caFile: settings.caFile });
    } catch (e) {
      log.warn('caFile cannot be read; ignored', { caFile: settings.caFile, error: String(e) });
    }
  }
  if (!extra.length) return undefined;
  log.info('trusting extra certificate authorities for Graph calls', {
    count: extra.length,
    caFile: settings.caFile,
    systemCa: settings.systemCa,
  });
  return [...new Set([...store('bundled'), ...extra])];
}
