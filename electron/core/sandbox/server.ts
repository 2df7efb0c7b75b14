import { TemplateSubmissions } from './template-submissions';
import crypto from 'node:crypto';
import { noteMessagesSend, sendMarketing } from './marketing';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleAdmin } from './admin';
import { GraphError, unknownObject } from './graph-errors';
import { businessJson, paginate, parseFields, phoneJson, templateJson, wabaJson } from './graph-objects';
import { HttpError, type RequestInfo } from './route';
import { BUSINESS_VERTICALS } from './scenario';
import type { SandboxWorld } from './world';

/**
 * The HTTP face of the sandbox: Graph-style routes (`/{version}/{node}/{edge}`), Bearer auth,
 * fault injection, and `/__admin/*`. Binds 127.0.0.1 only.
 */

const MAX_BODY = 105 * 1024 * 1024;
const VERSION = /^v\d+(\.\d+)?$/;

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON, or form-encoded fields (Graph accepts both; JSON-looking values are parsed). */
function parseBody(info: RequestInfo): unknown {
  const type = String(info.headers['content-type'] ?? '').toLowerCase();
  const text = info.body.toString('utf8');
  if (!text.trim()) return {};
  if (type.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      try {
        out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
      } catch {
        out[k] = v;
      }
    }
    return out;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new GraphError(100, 'The request body is not valid JSON', { message: '(#100) Invalid JSON in the request body' });
  }
}

const MEDIA_TYPES: Record<string, number> = {
  'image/jpeg': 5,
  'image/png': 5,
  'image/webp': 0.5,
  'video/mp4': 16,
  'video/3gpp': 16,
  'audio/aac': 16,
  'audio/amr': 16,
  'audio/mpeg': 16,
  'audio/mp4': 16,
  'audio/ogg': 16,
  'text/plain': 100,
  'application/pdf': 100,
  'application/msword': 100,
  'application/vnd.ms-excel': 100,
  'application/vnd.ms-powerpoint': 100,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100,
};

export interface ServerDeps {
  world: SandboxWorld;
  baseUrl: () => string;
}

export class SandboxServer {
  readonly http: http.Server;
  private readonly heldSockets = new Set<Socket>();

  constructor(private readonly deps: ServerDeps) {
    this.http = http.createServer((req, res) => void this.handle(req, res));
    this.http.on('connection', (s) => {
      this.heldSockets.add(s);
      s.on('close', () => this.heldSockets.delete(s));
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => resolve((this.http.address() as AddressInfo).port));
    });
  }

  async close(): Promise<void> {
    for (const s of this.heldSockets) s.destroy();
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  private get world(): SandboxWorld {
    return this.deps.world;
  }

  /** Stateless over the current world (a reset replaces the world). */
  private get submissions(): TemplateSubmissions {
    return new TemplateSubmissions(this.world);
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'x-fb-trace-id': this.world.fbtraceId(),
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(text);
  }

  private graphError(res: http.ServerResponse, e: GraphError): void {
    const extra: Record<string, string> = { ...e.overrides.headers };
    if (e.code === 190) extra['www-authenticate'] = 'OAuth "Facebook Platform" "invalid_token" "' + e.details.replace(/"/g, "'") + '"';
    if (res.destroyed || res.headersSent) return;
    res.writeHead(e.httpStatus, { 'content-type': 'application/json; charset=UTF-8', ...extra });
    res.end(JSON.stringify(e.body(this.world.fbtraceId())));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const world = this.world;
    world.stats.requests.total++;
    let info: RequestInfo;
    try {
      info = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
        body: await readBody(req),
      };
    } catch (e) {
      return this.json(res, e instanceof HttpError ? e.status : 400, { error: { message: (e as Error).message } });
    }
    if (info.url.pathname.startsWith('/__admin')) {
      world.stats.requests.admin++;
      try {
        const out = await handleAdmin(world, info, this.deps.baseUrl());
        return this.json(res, 200, out);
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 400;
        return this.json(res, status, { error: { message: e instanceof Error ? e.message : String(e) } });
      }
    }
    try {
      const fault = this.pickFault();
      if (fault === '5xx') return this.serverError(res);
      if (fault === 'slow') await new Promise((r) => setTimeout(r, world.faults.slow_ms));
      if (fault === 'timeout' || fault === 'drop') {
        // The request may or may not have been processed before the response was lost.
        if (world.rng.chance(world.faults.processed_on_lost_response_rate)) {
          // processed (accepted or rejected) — the client never learns which
          await Promise.resolve()
            .then(() => this.route(info))
            .catch(() => undefined);
        }
        if (fault === 'drop') {
          req.socket.destroy();
          return;
        }
        if (world.faults.timeout_ms > 0) setTimeout(() => req.socket.destroy(), world.faults.timeout_ms);
        return; // hold the response open until the client gives up
      }
      const out = this.route(info);
      return this.json(res, 200, out instanceof Promise ? await out : out, info.responseHeaders);
    } catch (e) {
      if (e instanceof GraphError) return this.graphError(res, e);
      world.stats.syncError(131000, undefined, world.clock.now());
      return this.graphError(res, new GraphError(131000, e instanceof Error ? e.message : String(e)));
    }
  }

  private pickFault(): '5xx' | 'timeout' | 'drop' | 'slow' | undefined {
    const f = this.world.faults;
    const rng = this.world.rng;
    const s = this.world.stats.faults;
    if (rng.chance(f.error_5xx_rate)) return (s.error_5xx++, '5xx');
    if (rng.chance(f.timeout_rate)) return (s.timeouts++, 'timeout');
    if (rng.chance(f.drop_rate)) return (s.drops++, 'drop');
    if (rng.chance(f.slow_rate)) return (s.slow++, 'slow');
    return undefined;
  }

  private serverError(res: http.ServerResponse): void {
    const pick = this.world.rng.int(0, 2);
    const e =
      pick === 0
        ? new GraphError(131000, 'Something went wrong. Please try again later.')
        : pick === 1
          ? new GraphError(2, 'Service temporarily unavailable')
          : new GraphError(131016, 'A service is temporarily unavailable.');
    this.world.stats.syncError(e.code, undefined, this.world.clock.now());
    this.graphError(res, e);
  }

  private authenticate(info: RequestInfo): void {
    const world = this.world;
    const header = String(info.headers.authorization ?? '');
    // Graph takes "Bearer" and the older "OAuth" scheme (used by the resumable upload API).
    const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header)?.[1]?.trim() ?? info.url.searchParams.get('access_token') ?? undefined;
    if (!token) throw new GraphError(190, 'no access token', { message: 'An access token is required to request this resource.' });
    if (token !== world.accessToken) throw new GraphError(190, 'invalid token');
    if (world.tokenState === 'expired') {
      const now = new Date(world.clock.now());
      throw new GraphError(190, 'token expired', {
        subcode: 463,
        message: `Error validating access token: Session has expired on ${new Date(now.getTime() - 3600_000).toUTCString()}. The current time is ${now.toUTCString()}.`,
      });
    }
    if (world.tokenState === 'revoked')
      throw new GraphError(190, 'token revoked', {
        subcode: 460,
        message:
          'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
      });
    // appsecret_proof = hex HMAC-SHA256 of the token keyed with the app secret; checked when given.
    const proof = info.url.searchParams.get('appsecret_proof');
    if (proof !== null) {
      const expected = crypto.createHmac('sha256', world.appSecret).update(token).digest('hex');
      const ok = proof.length === expected.length && crypto.timingSafeEqual(Buffer.from(proof), Buffer.from(expected));
      if (!ok)
        throw new GraphError(100, 'appsecret_proof does not match', {
          message: 'Invalid appsecret_proof provided in the API argument',
          type: 'GraphMethodException',
        });
    }
  }

  /** Routes a Graph request; returns the JSON body (or a promise of it) or throws a GraphError. */
  private route(info: RequestInfo): unknown {
    const world = this.world;
    const segments = info.url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const version = segments[0] && VERSION.test(segments[0]) ? segments.shift()! : 'v24.0';
    if (segments[0] === '__media') {
      this.authenticate(info);
      const m = world.media.get(segments[1] ?? '');
      if (!m) throw unknownObject(segments[1] ?? '');
      return {
        messaging_product: 'whatsapp',
        id: m.id,
        mime_type: m.mime_type,
        sha256: m.sha256,
        file_size: m.file_size,
        note: 'The sandbox does not serve media bytes over Graph.',
      };
    }
    this.authenticate(info);
    const app = world.scenario.credentials;
    if (segments[0]?.startsWith('upload:') && segments.length === 1) {
      if (info.method.toUpperCase() !== 'POST') throw new GraphError(100, 'upload sessions take POST');
      return this.finishUpload(segments[0], info);
    }
    if ((segments[0] === 'app' || segments[0] === app.app_id) && segments.length === 1) {
      const node: Record<string, string> = {
        id: app.app_id,
        name: app.app_name,
        link: `https://www.facebook.com/games/?app_id=${app.app_id}`,
      };
      const wanted = parseFields(info.url.searchParams.get('fields')) ?? ['id', 'name', 'link'];
      const out: Record<string, string> = { id: app.app_id };
      for (const f of wanted) {
        if (!(f in node))
          throw new GraphError(100, `Tried accessing nonexisting field (${f}) on node type (Application)`, {
            message: `(#100) Tried accessing nonexisting field (${f}) on node type (Application)`,
          });
        out[f] = node[f]!;
      }
      return out;
    }
    if (segments[0] === app.app_id && segments[1] === 'uploads' && segments.length === 2 && info.method.toUpperCase() === 'POST')
      return this.startUpload(info);
    const [id, edge, ...rest] = segments;
    if (!id || rest.length)
      throw new GraphError(2500, 'unknown path', { message: `Unknown path components: /${segments.slice(1).join('/')}` });
    const method = info.method.toUpperCase();
    const q = info.url.searchParams;
    const fields = parseFields(q.get('fields'));
    const selfUrl = `${this.deps.baseUrl()}/${version}/${id}${edge ? '/' + edge : ''}`;
    const phone = world.phones.get(id);
    const waba = world.wabas.get(id);
    const template = world.templates.get(id);
    const media = world.media.get(id);
    const unsupported = () =>
      new GraphError(100, 'unsupported', {
        subcode: 33,
        message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      });

    if (!edge) {
      if (template && method === 'POST') {
        info.responseHeaders = { 'x-business-use-case-usage': world.countManagementCall(template.waba_id) };
        return this.submissions.edit(template, parseBody(info));
      }
      if (method !== 'GET' && !(method === 'DELETE' && media)) throw unsupported();
      if (phone) return phoneJson(phone, world, fields);
      if (waba) {
        info.responseHeaders = { 'x-business-use-case-usage': world.countManagementCall(waba.id) };
        return wabaJson(waba, world, fields);
      }
      if (id === world.business.id) return businessJson(world, fields);
      if (template) {
        info.responseHeaders = { 'x-business-use-case-usage': world.countManagementCall(template.waba_id) };
        return templateJson(template, world, fields);
      }
      if (media) {
        if (method === 'DELETE') {
          world.media.delete(id);
          return { success: true };
        }
        return {
          messaging_product: 'whatsapp',
          url: `${this.deps.baseUrl()}/__media/${media.id}`,
          mime_type: media.mime_type,
          sha256: media.sha256,
          file_size: media.file_size,
          id: media.id,
        };
      }
      throw unknownObject(id);
    }

    if (phone) {
      if (edge === 'messages' && method === 'POST') {
        world.stats.requests.send++;
        return noteMessagesSend(world, world.send(phone.id, parseBody(info), version));
      }
      if (edge === 'marketing_messages' && method === 'POST') {
        world.stats.requests.send++;
        return sendMarketing(world, phone.id, parseBody(info), version);
      }
      if (edge === 'media' && method === 'POST') return this.uploadMedia(phone.id, info);
      if (edge === 'whatsapp_business_profile' && method === 'GET') {
        const all = { ...phone.business_profile, messaging_product: 'whatsapp' };
        const wanted = fields ?? ['about', 'address', 'description', 'email', 'profile_picture_url', 'websites', 'vertical'];
        const data: Record<string, unknown> = {};
        for (const f of wanted) {
          if (!['about', 'address', 'description', 'email', 'profile_picture_url', 'websites', 'vertical', 'messaging_product'].includes(f))
            throw new GraphError(100, `Tried accessing nonexisting field (${f}) on node type (WhatsAppBusinessProfile)`, {
              message: `(#100) Tried accessing nonexisting field (${f}) on node type (WhatsAppBusinessProfile)`,
            });
          const v = (all as Record<string, unknown>)[f];
          if (v !== undefined) data[f] = v;
        }
        data.messaging_product = 'whatsapp';
        return { data: [data] };
      }
      if (edge === 'whatsapp_business_profile' && method === 'POST') return this.updateProfile(phone.id, parseBody(info));
    }
    if (waba) {
      world.stats.requests.management++;
      if (edge === 'message_templates' && method === 'GET') {
        info.responseHeaders = { 'x-business-use-case-usage': world.countManagementCall(waba.id) };
        return this.listTemplates(waba.id, q, selfUrl, fields);
      }
      if (edge === 'message_templates' && (method === 'POST' || method === 'DELETE')) {
        info.responseHeaders = { 'x-business-use-case-usage': world.countManagementCall(waba.id) };
        return method === 'POST' ? this.submissions.create(waba.id, parseBody(info)) : this.submissions.remove(waba.id, q);
      }
      if (edge === 'phone_numbers' && method === 'GET') {
        info.responseHeaders = { 'x-business-use-case-usage': world.countManagementCall(waba.id) };
        return paginate(world.phonesOf(waba.id), q, selfUrl, (p) => phoneJson(p, world, fields));
      }
      if (edge === 'subscribed_apps') {
        info.responseHeaders = { 'x-business-use-case-usage': world.countManagementCall(waba.id) };
        return this.subscribedApps(waba.id, method, parseBody(info), q);
      }
    }
    if (id === world.business.id && edge === 'owned_whatsapp_business_accounts' && method === 'GET')
      return paginate([...world.wabas.values()], q, selfUrl, (w) => wabaJson(w, world, fields));
    if (phone || waba || template || media || id === world.business.id)
      throw new GraphError(2500, 'unknown edge', { message: `Unknown path components: /${edge}` });
    throw unknownObject(id);
  }

  private listTemplates(wabaId: string, q: URLSearchParams, selfUrl: string, fields: string[] | undefined) {
    const world = this.world;
    const list = (k: string) =>
      q
        .get(k)
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const statuses = list('status')?.map((s) => s.toUpperCase());
    const categories = list('category')?.map((s) => s.toUpperCase());
    const languages = list('language');
    const qualities = list('quality_score')?.map((s) => s.toUpperCase());
    const name = q.get('name')?.toLowerCase();
    const content = q.get('content')?.toLowerCase();
    const nameOrContent = q.get('name_or_content')?.toLowerCase();
    const bodyText = (t: { components: { type: string; text?: string }[] }) =>
      t.components
        .map((c) => c.text ?? '')
        .join('\n')
        .toLowerCase();
    const items = world
      .templatesOf(wabaId)
      .filter(
        (t) =>
          (!statuses || statuses.includes(t.status)) &&
          (!categories || categories.includes(t.category)) &&
          (!languages || languages.includes(t.language)) &&
          (!qualities || qualities.includes(t.quality_score)) &&
          (!name || t.name.includes(name)) &&
          (!content || bodyText(t).includes(content)) &&
          (!nameOrContent || t.name.includes(nameOrContent) || bodyText(t).includes(nameOrContent)),
      );
    const page = paginate(items, q, selfUrl, (t) => templateJson(t, world, fields));
    const summary = q.get('summary');
    return summary && summary.split(',').includes('total_count') ? { ...page, summary: { total_count: items.length } } : page;
  }

  private async uploadMedia(phoneId: string, info: RequestInfo): Promise<unknown> {
    const type = String(info.headers['content-type'] ?? '');
    if (!type.toLowerCase().startsWith('multipart/form-data'))
      throw new GraphError(100, 'Media uploads must be multipart/form-data with a file part');
    let form: FormData;
    try {
      form = await new Request('http://127.0.0.1/', {
        method: 'POST',
        headers: { 'content-type': type },
        body: new Uint8Array(info.body),
      }).formData();
    } catch (e) {
      throw new GraphError(100, `The multipart body could not be parsed: ${(e as Error).message}`);
    }
    if (form.get('messaging_product') === null) throw new GraphError(131008, 'The parameter messaging_product is required.');
    if (form.get('messaging_product') !== 'whatsapp') throw new GraphError(100, 'messaging_product must be "whatsapp"');
    const file = form.get('file');
    if (!file || typeof file === 'string') throw new GraphError(131008, 'The parameter file is required.');
    const mime = String(form.get('type') ?? file.type ?? '')
      .toLowerCase()
      .split(';')[0]!
      .trim();
    const maxMb = MEDIA_TYPES[mime];
    if (maxMb === undefined)
      throw new GraphError(
        131053,
        `Param file must be a file with one of the following types: ${Object.keys(MEDIA_TYPES).join(', ')}. Received file of type '${mime}'.`,
      );
    const data = Buffer.from(await file.arrayBuffer());
    if (data.length === 0) throw new GraphError(131053, 'The uploaded file is empty');
    if (data.length > maxMb * 1024 * 1024)
      throw new GraphError(131053, `${mime} files can be at most ${maxMb} MB; this one is ${(data.length / 1024 / 1024).toFixed(1)} MB`);
    return { id: this.world.storeMedia(phoneId, data, mime).id };
  }

  private updateProfile(phoneId: string, body: unknown): unknown {
    const phone = this.world.phones.get(phoneId)!;
    if (typeof body !== 'object' || body === null) throw new GraphError(100, 'The request body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (b.messaging_product === undefined) throw new GraphError(131008, 'The parameter messaging_product is required.');
    if (b.messaging_product !== 'whatsapp') throw new GraphError(100, 'messaging_product must be "whatsapp"');
    const str = (k: string, min: number, max: number) => {
      const v = b[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.length < min || v.length > max)
        throw new GraphError(100, `${k} must be a string of ${min}–${max} characters`, {
          message: `(#100) Param ${k} must be at most ${max} characters long`,
        });
      return v;
    };
    const patch: Record<string, unknown> = {};
    for (const [k, min, max] of [
      ['about', 1, 139],
      ['address', 0, 256],
      ['description', 0, 256],
      ['email', 0, 128],
    ] as const) {
      const v = str(k, min, max);
      if (v !== undefined) patch[k] = v;
    }
    if (typeof patch.email === 'string' && patch.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(patch.email))
      throw new GraphError(100, 'email is not a valid email address', { message: '(#100) Param email must be a valid email address' });
    if (b.websites !== undefined) {
      if (!Array.isArray(b.websites) || b.websites.length > 2) throw new GraphError(100, 'websites must be an array of at most 2 URLs');
      for (const w of b.websites)
        if (typeof w !== 'string' || w.length > 256 || !/^https?:\/\/\S+$/.test(w))
          throw new GraphError(100, `websites: ${JSON.stringify(w)} is not an http(s) URL of at most 256 characters`);
      patch.websites = b.websites;
    }
    if (b.vertical !== undefined) {
      if (!(BUSINESS_VERTICALS as readonly unknown[]).includes(b.vertical))
        throw new GraphError(100, `vertical must be one of ${BUSINESS_VERTICALS.join(', ')}`);
      patch.vertical = b.vertical;
    }
    if (b.profile_picture_handle !== undefined) {
      if (typeof b.profile_picture_handle !== 'string' || !b.profile_picture_handle)
        throw new GraphError(100, 'profile_picture_handle must be a non-empty string');
      const type = this.world.uploadHandles.get(b.profile_picture_handle);
      if (!type)
        throw new GraphError(100, 'profile_picture_handle is not a handle from the Resumable Upload API (POST /{app-id}/uploads)', {
          message: '(#100) Invalid profile_picture_handle',
        });
      if (!type.startsWith('image/')) throw new GraphError(100, `the profile picture must be an image, the upload was ${type}`);
      patch.profile_picture_url = `https://pps.whatsapp.net/v/sandbox/${encodeURIComponent(b.profile_picture_handle.slice(0, 32))}.jpg`;
    }
    Object.assign(phone.business_profile, patch);
    return { success: true };
  }

  /** Resumable Upload API, step 1: POST /{app-id}/uploads?file_name&file_length&file_type → {id: "upload:…?sig=…"}. */
  private startUpload(info: RequestInfo): unknown {
    const q = info.url.searchParams;
    const name = q.get('file_name') ?? 'file';
    const length = Number(q.get('file_length'));
    const type = q.get('file_type') ?? '';
    if (!Number.isInteger(length) || length <= 0)
      throw new GraphError(100, 'file_length must be a positive integer', { message: '(#100) The parameter file_length is required' });
    if (!['image/jpeg', 'image/jpg', 'image/png', 'video/mp4', 'application/pdf'].includes(type))
      throw new GraphError(100, `file_type must be image/jpeg, image/png, video/mp4 or application/pdf, got '${type}'`, {
        message: '(#100) Param file_type must be one of {application/pdf, image/jpeg, image/jpg, image/png, video/mp4}',
      });
    if (length > 100 * 1024 * 1024) throw new GraphError(100, 'file_length is over 100 MB');
    const session = Buffer.from(this.world.rng.hex(12)).toString('base64url');
    this.world.uploads.set(session, { file_name: name, file_length: length, file_type: type });
    return { id: `upload:${session}?sig=${this.world.rng.hex(16)}` };
  }

  /** Step 2: POST /upload:<session> with the bytes (header file_offset: 0) → {h: handle}. */
  private finishUpload(segment: string, info: RequestInfo): unknown {
    const session = segment.slice('upload:'.length);
    const up = this.world.uploads.get(session);
    if (!up) throw unknownObject(segment);
    const offset = Number(info.headers.file_offset ?? 0);
    if (offset !== 0) throw new GraphError(100, 'the sandbox takes the whole file in one request (file_offset 0)');
    if (info.body.length !== up.file_length)
      throw new GraphError(100, `file_length was ${up.file_length} but ${info.body.length} bytes were sent`);
    const handle = `4:${Buffer.from(up.file_name).toString('base64')}:${Buffer.from(up.file_type).toString('base64')}:${this.world.rng.bytes(24).toString('base64url')}:e:${Math.floor(this.world.clock.now() / 1000) + 30 * 86400}:${this.world.scenario.credentials.app_id}`;
    this.world.uploads.delete(session);
    this.world.uploadHandles.set(handle, up.file_type);
    return { h: handle };
  }

  private async subscribedApps(wabaId: string, method: string, body: unknown, q: URLSearchParams): Promise<unknown> {
    const world = this.world;
    const waba = world.wabas.get(wabaId)!;
    const app = world.scenario.credentials;
    const appData = { id: app.app_id, name: app.app_name, link: `https://www.facebook.com/games/?app_id=${app.app_id}` };
    if (method === 'GET')
      return {
        data: waba.subscriptions.map((s) => ({
          whatsapp_business_api_data: appData,
          ...(s.override_callback_uri ? { override_callback_uri: s.override_callback_uri } : {}),
        })),
      };
    if (method === 'DELETE') {
      waba.subscriptions = [];
      return { success: true };
    }
    if (method === 'POST') {
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const uri = (b.override_callback_uri ?? q.get('override_callback_uri') ?? undefined) as string | undefined;
      const verify = (b.verify_token ?? q.get('verify_token') ?? undefined) as string | undefined;
      if (uri !== undefined) {
        if (typeof uri !== 'string' || !/^https?:\/\//.test(uri))
          throw new GraphError(100, 'override_callback_uri must be an http(s) URL', { message: 'Invalid callback URI format' });
        if (!verify) throw new GraphError(131008, 'verify_token is required with override_callback_uri');
        await this.verifyCallback(uri, verify);
      }
      waba.subscriptions = [{ app_id: app.app_id, ...(uri ? { override_callback_uri: uri } : {}) }];
      return uri ? { success: true, data: [{ override_callback_uri: uri, whatsapp_business_api_data: appData }] } : { success: true };
    }
    throw new GraphError(100, `Unsupported ${method.toLowerCase()} request on subscribed_apps`);
  }

  /** Meta verifies a callback with GET ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=… and expects the challenge back. */
  private async verifyCallback(uri: string, verifyToken: string): Promise<void> {
    const challenge = String(this.world.rng.int(100000000, 999999999));
    const u = new URL(uri);
    u.searchParams.set('hub.mode', 'subscribe');
    u.searchParams.set('hub.challenge', challenge);
    u.searchParams.set('hub.verify_token', verifyToken);
    let ok = false;
    try {
      const res = await fetch(u, { signal: AbortSignal.timeout(10_000) });
      ok = res.status === 200 && (await res.text()).trim() === challenge;
    } catch {
      ok = false;
    }
    if (!ok)
      throw new GraphError(100, `The callback URL or verify token couldn't be validated: ${uri} did not answer the challenge`, {
        subcode: 2200,
      });
  }
}
