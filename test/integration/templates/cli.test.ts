import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import {
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_WABA_ID,
  startSandbox,
  type SandboxHandle,
} from '../../../electron/core/sandbox/index';
import { tempDataDir } from '../../support/harness';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env, untilSignal: () => new Promise(() => {}) };
  return { io: value, out, err };
}

describe('pacer templates create / delete against the Sandbox', () => {
  let sb: SandboxHandle;
  const dataDir = tempDataDir();
  const files = tempDataDir('pacer-tpl-');
  const write = (name: string, body: unknown) => {
    const p = path.join(files, name);
    fs.writeFileSync(p, JSON.stringify(body));
    return p;
  };

  beforeAll(async () => {
    sb = await startSandbox({});
    const c = io({ PACER_ACCESS_TOKEN: SANDBOX_ACCESS_TOKEN });
    const code = await runCli(
      [
        '--data-dir',
        dataDir,
        'account',
        'connect',
        '--waba-id',
        SANDBOX_WABA_ID,
        '--phone-number-id',
        SANDBOX_PHONE_NUMBER_ID,
        '--graph-url',
        sb.baseUrl,
        '--verify-token',
        'vt-cli-1',
      ],
      c.io,
    );
    expect(code, c.err.join('\n')).toBe(0);
  });
  afterAll(() => sb.close());

  /** What Meta (the Sandbox) holds, read over Graph as any client would. */
  const graphTemplates = async (name: string) => {
    const res = await fetch(
      `${sb.baseUrl}/v24.0/${SANDBOX_WABA_ID}/message_templates?name=${name}&fields=name,language,status,components`,
      { headers: { authorization: `Bearer ${SANDBOX_ACCESS_TOKEN}` } },
    );
    return (
      (await res.json()) as { data: { name: string; language: string; status: string; components: Record<string, unknown>[] }[] }
    ).data.filter((t) => t.name === name);
  };

  it("submits Meta's create body from a file, with a local image as the header example", async () => {
    fs.writeFileSync(path.join(files, 'banner.png'), Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
    const file = write('flash.json', {
      name: 'flash_sale',
      language: 'en_US',
      category: 'MARKETING',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_file: 'banner.png' } },
        { type: 'BODY', text: 'Hi {{1}}, the flash sale ends at {{2}} tonight.', example: { body_text: [['Dana', '22:00']] } },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
      ],
      opt_out_buttons: ['Stop promotions'],
    });
    const c = io();
    expect(await runCli(['--data-dir', dataDir, 'templates', 'create', file, '--json'], c.io), c.err.join('\n')).toBe(0);
    expect(JSON.parse(c.out[0]!)).toMatchObject({ name: 'flash_sale', language: 'en_US', status: 'PENDING', category: 'MARKETING' });
    expect((await graphTemplates('flash_sale'))[0]?.components[0]).toMatchObject({
      format: 'IMAGE',
      example: { header_handle: [expect.stringMatching(/^4:/)] },
    });
  });

  it("a file that breaks Meta's rules exits 2 listing every problem, and nothing reaches Meta", async () => {
    const file = write('bad.json', {
      name: 'Bad-Name',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: '{{1}} and {{3}}' }],
    });
    const c = io();
    expect(await runCli(['--data-dir', dataDir, 'templates', 'create', file], c.io)).toBe(2);
    const err = c.err.join('\n');
    expect(err).toMatch(/name: the name may hold only lowercase/);
    expect(err).toMatch(/positional variables must be \{\{1\}\}/);
    expect(err).toMatch(/needs an example/);
    expect(await graphTemplates('Bad-Name')).toEqual([]);
  });

  it('deletes one language or every language of a name', async () => {
    const body = (language: string) => ({
      name: 'club_news',
      language,
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'News from the club, {{1}}: see what is new.', example: { body_text: [['Dana']] } }],
    });
    for (const l of ['en_US', 'he'])
      expect(await runCli(['--data-dir', dataDir, 'templates', 'create', write(`club-${l}.json`, body(l))], io().io)).toBe(0);
    const one = io();
    expect(
      await runCli(['--data-dir', dataDir, 'templates', 'delete', 'club_news', '--language', 'he', '--json'], one.io),
      one.err.join('\n'),
    ).toBe(0);
    expect(JSON.parse(one.out[0]!).deleted).toHaveLength(1);
    expect((await graphTemplates('club_news')).map((t) => `${t.language}:${t.status}`)).toEqual(['en_US:PENDING']);
    const all = io();
    expect(await runCli(['--data-dir', dataDir, 'templates', 'delete', 'club_news'], all.io)).toBe(0);
    expect(all.out.join('\n')).toMatch(/Deleted club_news: 1 template/);
    expect(await graphTemplates('club_news')).toEqual([]);
  });
});
