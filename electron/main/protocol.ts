import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_HOST, APP_SCHEME, PRODUCTION_CSP } from './security';

/** Must run before `ready`: app:// behaves like a secure, standard origin (checklist item 18). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Answers app://pacer/… from the built renderer: only our host (any other is 404), only paths
 * inside the folder (403), and a malformed escape (`%E0%A4%A`) is a 400, not a thrown error.
 * Unknown paths get index.html (the app routes itself).
 */
export function rendererHandler(rendererDir: string, fetchFile: (fileUrl: string) => Promise<Response>) {
  const root = path.resolve(rendererDir);
  return async (request: Request): Promise<Response> => {
    let url: URL;
    let rel: string;
    try {
      url = new URL(request.url);
      rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    } catch {
      return new Response('Bad Request', { status: 400 });
    }
    if (url.host !== APP_HOST) return new Response('Not Found', { status: 404 });
    let file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) return new Response('Forbidden', { status: 403 });
    if (!fs.existsSync(file)) file = path.join(root, 'index.html');
    const res = await fetchFile(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', PRODUCTION_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  };
}

/** Serves the built renderer from app://pacer/…. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(
    APP_SCHEME,
    rendererHandler(rendererDir, (u) => net.fetch(u)),
  );
}
