import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, SANDBOX_PHONE_NUMBER_IDS, SANDBOX_WABA_ID } from '../../../electron/core/sandbox/default-scenario';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../../electron/core/sandbox/scenario';
import { placeholders } from '../../../electron/core/sandbox/template-validation';

describe('sandbox scenarios', () => {
  const s = parseScenario(DEFAULT_SCENARIO);
  const templates = s.wabas[0]!.templates;

  it('the default scenario is a realistic account: several numbers, one portfolio at 2K', () => {
    expect(s.business.messaging_limit).toBe('TIER_2K');
    expect(s.wabas).toHaveLength(1);
    expect(s.wabas[0]!.id).toBe(SANDBOX_WABA_ID);
    expect(s.wabas[0]!.phone_numbers.map((p) => p.id)).toEqual(Object.values(SANDBOX_PHONE_NUMBER_IDS));
  });

  it('has templates in en, he and zh_TW with positional and named parameters, an image header, one PAUSED and one REJECTED with a reason', () => {
    const langs = new Set(templates.map((t) => t.language));
    for (const l of ['en_US', 'he', 'zh_TW']) expect(langs.has(l)).toBe(true);
    expect(
      templates.some((t) => t.parameter_format === 'NAMED' && t.components.some((c) => placeholders(c.text).includes('first_name'))),
    ).toBe(true);
    expect(templates.some((t) => t.parameter_format === 'POSITIONAL' && t.components.some((c) => placeholders(c.text).includes('1')))).toBe(
      true,
    );
    expect(templates.some((t) => t.components.some((c) => c.type === 'HEADER' && c.format === 'IMAGE'))).toBe(true);
    expect(templates.filter((t) => t.status === 'PAUSED')).toHaveLength(1);
    const rejected = templates.filter((t) => t.status === 'REJECTED');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.rejected_reason).toBe('INCORRECT_CATEGORY');
    // Hebrew and Chinese text is real, not transliterated
    expect(templates.find((t) => t.language === 'he')!.components.some((c) => /[\u0590-\u05FF]/.test(c.text ?? ''))).toBe(true);
    expect(templates.find((t) => t.language === 'zh_TW')!.components.some((c) => /[\u4E00-\u9FFF]/.test(c.text ?? ''))).toBe(true);
  });

  it("an empty object is a valid scenario with Meta's default limits", () => {
    const e = parseScenario({});
    expect(e.limits.throughput_mps).toBe(80);
    expect(e.limits.pair_interval_ms).toBe(6000);
    expect(e.business.messaging_limit).toBe('TIER_250');
  });

  it('rejects bad scenarios with the path of each problem', () => {
    expect(() => parseScenario({ business: { messaging_limit: 'TIER_1M' } })).toThrow(/business\.messaging_limit/);
    expect(() => parseScenario({ users: [{ phone: '0541234567' }] })).toThrow(/users\.0\.phone/);
    expect(() =>
      parseScenario({
        wabas: [
          {
            id: '1',
            name: 'a',
            templates: [{ name: 'Bad Name', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'x' }] }],
          },
        ],
      }),
    ).toThrow(ScenarioError);
    const dup = { id: '1', name: 'a', phone_numbers: [{ id: '1', display_phone_number: '+1', verified_name: 'x' }] };
    expect(() => parseScenario({ wabas: [dup] })).toThrow(/used twice/);
  });

  it('loads scenario files and names unreadable or non-JSON ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-sb-'));
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ name: 'mine', business: { messaging_limit: 'TIER_10K' } }));
    expect(loadScenarioFile(good).business.messaging_limit).toBe('TIER_10K');
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{nope');
    expect(() => loadScenarioFile(bad)).toThrow(/not JSON/);
    expect(() => loadScenarioFile(path.join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});

describe('sandbox scenario timeline references', () => {
  it('names a timeline entry that points at a missing template or number', () => {
    const base = {
      wabas: [
        {
          id: '1',
          name: 'w',
          phone_numbers: [{ id: '2', display_phone_number: '+1 555', verified_name: 'x' }],
          templates: [{ name: 't', language: 'en', category: 'UTILITY' as const, components: [{ type: 'BODY' as const, text: 'hi' }] }],
        },
      ],
    };
    expect(() =>
      parseScenario({ ...base, timeline: [{ at_ms: 1, action: 'template_quality', name: 't', language: 'he', quality: 'RED' }] }),
    ).toThrow(/timeline\.0: no template t in he/);
    expect(() =>
      parseScenario({ ...base, timeline: [{ at_ms: 1, action: 'phone_quality', phone_number_id: '9', quality: 'RED' }] }),
    ).toThrow(/timeline\.0: no phone number 9/);
    expect(() => parseScenario({ timeline: [{ at_ms: 1, action: 'inbound', from: '+972541234567', kind: 'text' }] })).toThrow(
      /no phone number/,
    );
    expect(
      parseScenario({ ...base, timeline: [{ at_ms: 1, action: 'template_status', name: 't', language: 'en', status: 'PAUSED' }] }).timeline,
    ).toHaveLength(1);
  });
});
