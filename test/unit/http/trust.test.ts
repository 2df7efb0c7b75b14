import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphTransport } from '../../../electron/core/http/graph-transport';
import { trustedCertificates } from '../../../electron/core/http/trust';
import { REPO } from '../../support/harness';

// A TLS-inspecting proxy's certificate, made for these tests (test/support/tls, valid to 2126).
const TLS_DIR = path.join(REPO, 'test', 'support', 'tls');
const CA_FILE = path.join(TLS_DIR, 'proxy-ca.pem');
const pem = fs.readFileSync(CA_FILE, 'utf8');

const quiet = { warn: () => undefined, info: () => undefined };
/** Never the machine's real stores: tests read nothing outside the repository. */
const stores = { store: (type: 'bundled' | 'system') => (type === 'bundled' ? ['BUNDLED'] : ['SYSTEM-1', 'SYSTEM-2']) };

describe('trustedCertificates', () => {
  it('adds nothing by default: Node keeps its own list', () => {
    expect(trustedCertificates({ caFile: null, systemCa: false }, quiet, stores)).toBeUndefined();
  });

  it('a CA file is added to the bundled roots (a ca list replaces them otherwise)', () => {
    const ca = trustedCertificates({ caFile: CA_FILE, systemCa: false }, quiet, stores)!;
    expect(ca[0]).toBe('BUNDLED');
    expect(ca[1]).toBe(pem.trim());
  });

  it('systemCa adds the OS store', () => {
    expect(trustedCertificates({ caFile: null, systemCa: true }, quiet, stores)).toEqual(['BUNDLED', 'SYSTEM-1', 'SYSTEM-2']);
  });

  it('an unreadable or empty CA file is logged and skipped, never fatal', () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m), info: () => undefined };
    expect(trustedCertificates({ caFile: path.join(TLS_DIR, 'missing.pem'), systemCa: false }, log, stores)).toBeUndefined();
    expect(trustedCertificates({ caFile: path.join(TLS_DIR, 'proxy-ca.key'), systemCa: false }, log, stores)).toBeUndefined();
    expect(warnings).toEqual(['caFile cannot be read; ignored', 'caFile holds no PEM certificate; ignored']);
  });
});

describe('Graph transport behind a TLS proxy', () => {
  let srv: https.Server;
  let url = '';
  beforeAll(async () => {
    srv = https.createServer({ key: fs.readFileSync(path.join(TLS_DIR, 'proxy-ca.key')), cert: pem }, (_req, res) =>
      res.end('{"ok":true}'),
    );
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(srv.address() as AddressInfo).port}/v24.0/me`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  );

  it('fails without the proxy CA and succeeds with it (connect.ca of its Agent)', async () => {
    const plain = createGraphTransport();
    await expect(plain.fetch(url, { method: 'GET', headers: {} })).rejects.toThrow();
    await plain.close();

    const ca = trustedCertificates({ caFile: CA_FILE, systemCa: false }, quiet, { store: () => [] })!;
    const trusting = createGraphTransport({ ca });
    const res = await trusting.fetch(url, { method: 'GET', headers: {} });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"ok":true}');
    await trusting.close();
  });
});
