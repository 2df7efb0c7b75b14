import { describe, expect, it } from 'vitest';
import { FakeClock, type Clock } from '../../../electron/core/clock';
import { GraphApiError, GraphClient, limitFieldFor } from '../../../electron/core/whatsapp/client';
import { ManagementRateLimiter, parseBusinessUseCaseUsage } from '../../../electron/core/whatsapp/rate-limit';

interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | null;
}
type Answer = { status?: number; json?: unknown; text?: string; headers?: Record<string, string> } | 'refused' | 'hang';

/** A scripted Graph: answers in order (the last one repeats), records every request. */
function scripted(...answers: Answer[]) {
  const seen: Seen[] = [];
  const fetch = (async (input: string, init: RequestInit) => {
    seen.push({
      method: init.method ?? 'GET',
      url: new URL(input),
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? init.body : null,
    });
    const a = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (a === 'refused') throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    if (a === 'hang') {
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }
    return new Response(a.text ?? JSON.stringify(a.json ?? {}), {
      status: a.status ?? 200,
      headers: { 'content-type': 'application/json', ...a.headers },
    });
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

/** A clock whose timers fire on the next macrotask, moving time forward: back-off sleeps take no real time. */
function instantClock(start = Date.UTC(2026, 10, 22, 6)): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  let id = 1;
  const cancelled = new Set<number>();
  return {
    slept,
    now: () => now,
    setTimeout(fn, ms) {
      const h = { id: id++ };
      if (ms < 10_000) {
        slept.push(ms);
        setImmediate(() => {
          if (!cancelled.has(h.id)) {
            now += ms;
            fn();
          }
        });
      }
      return h;
    },
    clearTimeout(h) {
      cancelled.add(h.id);
    },
  };
}

const graphError = (code: number, message = 'x', extra: Record<string, unknown> = {}) => ({
  error: { message, type: 'OAuthException', code, fbtrace_id: 'TRACE', ...extra },
});
const sendOk = { json: { messaging_product: 'whatsapp', contacts: [{ input: '+1555', wa_id: '1555' }], messages: [{ id: 'wamid.A' }] } };

describe('GraphClient requests', () => {
  it('puts the version in the path and the token in a Bearer header (never in the URL)', async () => {
    const { fetch, seen } = scripted({ json: { id: '1' } });
    const c = new GraphClient({ baseUrl: 'http://127.0.0.1:9/', token: () => 'SECRET-TOKEN', fetch, clock: new FakeClock() });
    await c.getTemplate('123');
    expect(seen[0]!.url.pathname).toBe('/v24.0/123');
    expect(seen[0]!.headers.authorization).toBe('Bearer SECRET-TOKEN');
    expect(seen[0]!.url.toString()).not.toContain('SECRET');
  });

  it('takes a configurable version, auth header and extra headers (BSP proxy)', async () => {
    const { fetch, seen } = scripted({ json: { id: '1' } });
    const c = new GraphClient({
      baseUrl: 'https://bsp.example/waba',
      apiVersion: 'v25.0',
      auth: { header: 'D360-API-KEY', prefix: '' },
      headers: { 'x-tenant': 't1' },
      token: () => 'KEY',
      fetch,
      clock: new FakeClock(),
    });
    await c.getTemplate('123');
    expect(seen[0]!.url.toString()).toBe(
      'https://bsp.example/waba/v25.0/123?fields=id%2Cname%2Clanguage%2Cstatus%2Ccategory%2Cprevious_category%2Csub_category%2Cparameter_format%2Ccomponents%2Crejected_reason%2Cquality_score',
    );
    expect(seen[0]!.headers['d360-api-key']).toBe('KEY');
    expect(seen[0]!.headers['x-tenant']).toBe('t1');
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('refuses ids that could walk the URL', async () => {
    const { fetch, seen } = scripted({ json: {} });
    const c = new GraphClient({ token: () => 't', fetch, clock: new FakeClock() });
    await expect(c.getTemplate('../me')).rejects.toThrow(/Not a valid Graph id/);
    expect(seen).toHaveLength(0);
  });

  it('turns a Graph error into a classified GraphApiError and reports auth failures', async () => {
    const { fetch } = scripted({
      status: 401,
      json: graphError(190, 'Error validating access token: Session has expired', { error_subcode: 463 }),
    });
    const authErrors: number[] = [];
    const c = new GraphClient({ token: () => 't', fetch, clock: new FakeClock(), onAuthError: (e) => authErrors.push(e.code!) });
    const err = (await c.getTemplate('1').catch((e: unknown) => e)) as GraphApiError;
    expect(err).toBeInstanceOf(GraphApiError);
    expect(err).toMatchObject({ code: 190, subcode: 463, httpStatus: 401, fbtraceId: 'TRACE', errorClass: 'halt_account' });
    expect(authErrors).toEqual([190]);
  });

  it('reads error_data.details and the user title', async () => {
    const { fetch } = scripted({
      status: 400,
      json: graphError(131056, '(#131056) pair rate limit hit', {
        error_data: {
          details:
            'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
        },
      }),
    });
    const c = new GraphClient({ token: () => 't', fetch, clock: new FakeClock() });
    const err = (await c.sendTemplate('1', { to: '+1555', name: 'x', language: 'en' }).catch((e: unknown) => e)) as GraphApiError;
    expect(err.details).toMatch(/too many messages/);
    expect(err.errorClass).toBe('retry_soon');
    expect(err.toDetails(5).message).toContain('pair rate limit');
  });

  it('explains a non-Graph answer (HTML error page of a proxy)', async () => {
    const { fetch } = scripted({ status: 502, text: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } });
    const c = new GraphClient({ token: () => 't', fetch, clock: instantClock(), retries: 0 });
    await expect(c.getTemplate('1')).rejects.toMatchObject({ httpStatus: 502, code: null, errorClass: 'retry_soon' });
  });
});

describe('GraphClient retries', () => {
  it('retries a transient 5xx read with jittered back-off, then succeeds', async () => {
    const { fetch, seen } = scripted(
      { status: 503, json: graphError(2, 'Service temporarily unavailable') },
      { status: 500, json: graphError(131000) },
      { json: { id: '1' } },
    );
    const clock = instantClock();
    const c = new GraphClient({ token: () => 't', fetch, clock, random: () => 0.5 });
    await expect(c.getTemplate('1')).resolves.toMatchObject({ id: '1' });
    expect(seen).toHaveLength(3);
    expect(clock.slept.filter((ms) => ms < 10_000)).toEqual([250, 500]); // 0.5 × 500·2^n
  });

  it('gives up after the configured retries', async () => {
    const { fetch, seen } = scripted({ status: 503, json: graphError(2) });
    const c = new GraphClient({ token: () => 't', fetch, clock: instantClock(), retries: 2 });
    await expect(c.getTemplate('1')).rejects.toMatchObject({ code: 2 });
    expect(seen).toHaveLength(3);
  });

  it('never retries a permanent error', async () => {
    const { fetch, seen } = scripted({ status: 400, json: graphError(100, 'Invalid parameter') });
    const c = new GraphClient({ token: () => 't', fetch, clock: instantClock() });
    await expect(c.getTemplate('1')).rejects.toMatchObject({ code: 100, errorClass: 'fix_payload' });
    expect(seen).toHaveLength(1);
  });

  it('retries a send only when Meta surely did not take it', async () => {
    const refused = scripted('refused', sendOk);
    await expect(
      new GraphClient({ token: () => 't', fetch: refused.fetch, clock: instantClock() }).sendTemplate('1', {
        to: '+1555',
        name: 'x',
        language: 'en',
      }),
    ).resolves.toMatchObject({ wamid: 'wamid.A' });
    expect(refused.seen).toHaveLength(2);

    const explicit = scripted({ status: 500, json: graphError(131000) }, sendOk);
    await expect(
      new GraphClient({ token: () => 't', fetch: explicit.fetch, clock: instantClock() }).sendTemplate('1', {
        to: '+1555',
        name: 'x',
        language: 'en',
      }),
    ).resolves.toBeTruthy();
    expect(explicit.seen).toHaveLength(2);

    for (const code of [130429, 131056, 131049]) {
      const throttled = scripted({ status: 400, json: graphError(code) }, sendOk);
      await expect(
        new GraphClient({ token: () => 't', fetch: throttled.fetch, clock: instantClock() }).sendTemplate('1', {
          to: '+1555',
          name: 'x',
          language: 'en',
        }),
      ).rejects.toMatchObject({ code });
      expect(throttled.seen).toHaveLength(1);
    }
  });

  it('a send that times out is ambiguous and not retried', async () => {
    const { fetch, seen } = scripted('hang', sendOk);
    const clock = new FakeClock();
    const c = new GraphClient({ token: () => 't', fetch, clock, timeoutMs: 5_000 });
    const pending = c.sendTemplate('1', { to: '+1555', name: 'x', language: 'en' }).catch((e: unknown) => e);
    await clock.advance(5_000);
    const err = (await pending) as GraphApiError;
    expect(err).toMatchObject({ ambiguous: true, code: null });
    expect(err.message).toMatch(/within 5 s/);
    expect(seen).toHaveLength(1);
  });
});

describe('management rate limits', () => {
  it('backs off on 80007 and does not call Meta again until the back-off ends', async () => {
    const clock = new FakeClock();
    const { fetch, seen } = scripted({ status: 429, json: graphError(80007, 'WABA rate limit hit') }, { json: { id: '1' } });
    const c = new GraphClient({ token: () => 't', fetch, clock, random: () => 0.5 });
    const first = (await c.getTemplate('1').catch((e: unknown) => e)) as GraphApiError;
    expect(first).toMatchObject({ code: 80007, errorClass: 'retry_soon' });
    expect(first.retryAt).toBe(clock.now() + 60_000);
    await expect(c.getTemplate('1')).rejects.toMatchObject({ retryAt: first.retryAt });
    expect(seen).toHaveLength(1); // the second call never left
    await clock.advance(60_000);
    await expect(c.getTemplate('1')).resolves.toMatchObject({ id: '1' });
    expect(seen).toHaveLength(2);
  });

  it('escalates on repeated code 4 and honours estimated_time_to_regain_access', async () => {
    const clock = new FakeClock();
    const usage = JSON.stringify({
      '123': [
        { type: 'whatsapp_business_management', call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 15 },
      ],
    });
    const { fetch } = scripted(
      { status: 403, json: graphError(4, 'Application request limit reached') },
      { status: 403, json: graphError(4) },
      { status: 403, json: graphError(4), headers: { 'x-business-use-case-usage': usage } },
    );
    const c = new GraphClient({ token: () => 't', fetch, clock, random: () => 0.5 });
    const e1 = (await c.getTemplate('1').catch((e: unknown) => e as GraphApiError)) as GraphApiError;
    expect(e1.retryAt! - clock.now()).toBe(60_000);
    await clock.advance(60_000);
    const e2 = (await c.getTemplate('1').catch((e: unknown) => e as GraphApiError)) as GraphApiError;
    expect(e2.retryAt! - clock.now()).toBe(120_000);
    await clock.advance(120_000);
    const e3 = (await c.getTemplate('1').catch((e: unknown) => e as GraphApiError)) as GraphApiError;
    expect(e3.retryAt! - clock.now()).toBe(15 * 60_000);
  });

  it('keeps itself under the hourly budget without asking Meta', async () => {
    const clock = new FakeClock();
    const { fetch, seen } = scripted({ json: { id: '1' } });
    const c = new GraphClient({ token: () => 't', fetch, clock, limiter: new ManagementRateLimiter(clock, 3) });
    for (let i = 0; i < 3; i++) await c.getTemplate('1');
    const err = (await c.getTemplate('1').catch((e: unknown) => e as GraphApiError)) as GraphApiError;
    expect(err.retryAt).toBe(clock.now() + 3_600_000);
    expect(seen).toHaveLength(3);
    await clock.advance(3_600_000);
    await expect(c.getTemplate('1')).resolves.toBeTruthy();
  });

  it('sends are not counted against the management budget', async () => {
    const clock = new FakeClock();
    const { fetch } = scripted(sendOk);
    const limiter = new ManagementRateLimiter(clock, 1);
    const c = new GraphClient({ token: () => 't', fetch, clock, limiter });
    for (let i = 0; i < 5; i++) await c.sendTemplate('1', { to: '+1555', name: 'x', language: 'en' });
    expect(limiter.used()).toBe(0);
  });

  it('parses X-Business-Use-Case-Usage', () => {
    expect(
      parseBusinessUseCaseUsage(
        '{"1":[{"call_count":42,"total_time":7,"estimated_time_to_regain_access":0}],"2":[{"call_count":3,"total_cputime":88,"estimated_time_to_regain_access":5}]}',
      ),
    ).toEqual({ maxPercent: 88, regainAccessMinutes: 5 });
    expect(parseBusinessUseCaseUsage('not json')).toBeNull();
    expect(parseBusinessUseCaseUsage(null)).toBeNull();
  });
});

describe('paging and version-dependent fields', () => {
  it('follows cursor paging while paging.next is present', async () => {
    const page = (ids: string[], after?: string) => ({
      json: {
        data: ids.map((id) => ({ id, name: `t${id}`, language: 'en', status: 'APPROVED', category: 'MARKETING' })),
        paging: {
          cursors: { before: 'b', after: after ?? 'z' },
          ...(after ? { next: `https://graph.facebook.com/v24.0/1/message_templates?after=${after}` } : {}),
        },
      },
    });
    const { fetch, seen } = scripted(page(['1', '2'], 'C1'), page(['3', '4'], 'C2'), page(['5']));
    const c = new GraphClient({ token: () => 't', fetch, clock: new FakeClock() });
    const all = await c.listAllTemplates('100', { limit: 2, filters: { status: 'APPROVED' } });
    expect(all.map((t) => t.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(seen.map((s) => s.url.searchParams.get('after'))).toEqual([null, 'C1', 'C2']);
    expect(
      seen.every(
        (s) =>
          s.url.origin === 'https://graph.facebook.com' &&
          s.url.searchParams.get('status') === 'APPROVED' &&
          s.url.searchParams.get('limit') === '2',
      ),
    ).toBe(true);
  });

  it('asks for whatsapp_business_manager_messaging_limit on v24+ and messaging_limit_tier before', async () => {
    expect(limitFieldFor('v24.0')).toBe('whatsapp_business_manager_messaging_limit');
    expect(limitFieldFor('v26.0')).toBe('whatsapp_business_manager_messaging_limit');
    expect(limitFieldFor('v23.0')).toBe('messaging_limit_tier');
    const { fetch, seen } = scripted({ json: { id: '1', messaging_limit_tier: 'TIER_1K' } });
    await new GraphClient({ apiVersion: 'v23.0', token: () => 't', fetch, clock: new FakeClock() }).getPhoneNumber('1');
    expect(seen[0]!.url.searchParams.get('fields')).toContain('messaging_limit_tier');
  });

  it('falls back to the other limit field when the server does not know one', async () => {
    const { fetch, seen } = scripted(
      {
        status: 400,
        json: graphError(
          100,
          '(#100) Tried accessing nonexisting field (whatsapp_business_manager_messaging_limit) on node type (WhatsAppBusinessPhoneNumber)',
        ),
      },
      { json: { id: '1', messaging_limit_tier: 'TIER_10K' } },
    );
    const pn = await new GraphClient({ token: () => 't', fetch, clock: new FakeClock() }).getPhoneNumber('1');
    expect(pn.messaging_limit_tier).toBe('TIER_10K');
    expect(seen[1]!.url.searchParams.get('fields')).toContain('messaging_limit_tier');
  });
});

describe('media and profile', () => {
  it('uploads media as multipart with messaging_product', async () => {
    const forms: FormData[] = [];
    const fetch = (async (_u: string, init: RequestInit) => {
      forms.push(init.body as FormData);
      return new Response(JSON.stringify({ id: 'MEDIA1' }), { status: 200 });
    }) as typeof globalThis.fetch;
    const c = new GraphClient({ token: () => 't', fetch, clock: new FakeClock() });
    await expect(
      c.uploadMedia('1', { bytes: new Uint8Array([0xff, 0xd8, 0xff]), mimeType: 'image/jpeg', filename: 'a.jpg' }),
    ).resolves.toEqual({ id: 'MEDIA1' });
    expect(forms[0]!.get('messaging_product')).toBe('whatsapp');
    expect(forms[0]!.get('type')).toBe('image/jpeg');
    expect((forms[0]!.get('file') as File).size).toBe(3);
  });

  it('reads and updates the business profile', async () => {
    const { fetch, seen } = scripted(
      { json: { data: [{ about: 'Hi', websites: ['https://a.example'], vertical: 'RETAIL' }] } },
      { json: { success: true } },
    );
    const c = new GraphClient({ token: () => 't', fetch, clock: new FakeClock() });
    await expect(c.getBusinessProfile('1')).resolves.toMatchObject({ about: 'Hi', vertical: 'RETAIL' });
    await c.updateBusinessProfile('1', { about: 'New', profile_picture_url: 'https://ignored' });
    expect(JSON.parse(seen[1]!.body!)).toEqual({ messaging_product: 'whatsapp', about: 'New' });
    expect(seen[1]!.url.pathname).toBe('/v24.0/1/whatsapp_business_profile');
  });

  it('uploads a profile photo with the resumable upload API and returns the handle', async () => {
    const { fetch, seen } = scripted(
      { json: { id: '1000000000000001', name: 'App' } },
      { json: { id: 'upload:MTphdHRhY2htZW50?sig=ARZ' } },
      { json: { h: '4:aGFuZGxl' } },
    );
    const c = new GraphClient({ token: () => 'tok', fetch, clock: new FakeClock() });
    const app = await c.getApp();
    const h = await c.resumableUpload(app.id, { bytes: new Uint8Array([1, 2, 3, 4]), mimeType: 'image/png', filename: 'logo.png' });
    expect(h).toBe('4:aGFuZGxl');
    expect(seen[1]!.url.pathname).toBe('/v24.0/1000000000000001/uploads');
    expect(Object.fromEntries(seen[1]!.url.searchParams)).toMatchObject({
      file_name: 'logo.png',
      file_length: '4',
      file_type: 'image/png',
    });
    expect(seen[2]!.url.pathname).toBe('/v24.0/upload:MTphdHRhY2htZW50');
    expect(seen[2]!.url.searchParams.get('sig')).toBe('ARZ');
    expect(seen[2]!.headers.file_offset).toBe('0');
  });
});
