/**
 * Where the stored access token may go (issue #14, item 5).
 *
 * - A Graph URL must be https, except on a loopback host (the Sandbox, a local proxy on this
 *   computer): a typo of `http://` for a remote proxy would otherwise send the bearer token in
 *   clear text. Refused with `bad_input`, `details.reason = 'graph_url_not_https'` (translated in
 *   the wizard).
 * - The token is bound to the origin (scheme, host, port) it was entered for, kept in `app_meta`
 *   (`account.token_origin`; an origin is not a secret). A connect that reuses the STORED token
 *   (no token in the input) with another origin is refused with `reason = 'token_host_changed'`:
 *   the user must type the token again for the new host. A token entered with the call is bound
 *   to its URL when stored. A store from before this rule has no binding: the origin of the
 *   saved connection stands in for it; with neither, the token must be entered again.
 */
import type { Db } from '../db/connection';
import { bindTokenOrigin, boundOrigin, forgetTokenOrigin } from './token-origin-store';

export { bindTokenOrigin, boundOrigin, forgetTokenOrigin };
import { PacerError } from '../errors';

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Refuses a Graph URL that would carry the token in clear text over the network. */
export function assertGraphUrlSafe(graphUrl: string): void {
  let u: URL;
  try {
    u = new URL(graphUrl);
  } catch {
    throw new PacerError('bad_input', `Graph URL is not a valid URL: ${graphUrl}`, { field: 'graphUrl', reason: 'bad_format' });
  }
  if (u.protocol === 'https:') return;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return;
  throw new PacerError(
    'bad_input',
    `Graph URL must use https:// (plain http:// is allowed only for this computer, e.g. 127.0.0.1): ${u.origin}`,
    {
      field: 'graphUrl',
      reason: 'graph_url_not_https',
    },
  );
}

export const originOf = (url: string): string => new URL(url).origin;

/** Before the stored token is sent to `graphUrl`: it must be the origin it was saved for. */
export function assertStoredTokenMayGo(db: Db, graphUrl: string, savedConnectionUrl: string | null): void {
  const bound = boundOrigin(db) ?? (savedConnectionUrl ? originOf(savedConnectionUrl) : null);
  const target = originOf(graphUrl);
  if (bound === target) return;
  throw new PacerError(
    'bad_input',
    `The saved access token was entered for ${bound ?? 'another address'}; enter it again to use it with ${target}.`,
    {
      field: 'accessToken',
      reason: 'token_host_changed',
    },
  );
}
