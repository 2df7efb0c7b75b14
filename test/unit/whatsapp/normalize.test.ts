import { describe, expect, it } from 'vitest';
import {
  bestLimit,
  displayToE164,
  headerFormat,
  limitForPacing,
  normalizeLanguage,
  normalizeLimit,
  normalizeQuality,
  normalizeRejectedReason,
  normalizeTemplateStatus,
  templateVariables,
} from '../../../electron/core/whatsapp/normalize';

describe("normalising Meta's values", () => {
  it('reads every messaging-limit spelling, and never mistakes the unknown for unlimited', () => {
    expect(normalizeLimit('TIER_2K')).toBe('TIER_2K'); // v24 field
    expect(normalizeLimit('TIER_1K')).toBe('TIER_1K'); // legacy messaging_limit_tier
    expect(normalizeLimit(2000)).toBe('TIER_2K'); // business_capability_update integer
    expect(normalizeLimit('100000')).toBe('TIER_100K');
    expect(normalizeLimit(-1)).toBe('TIER_UNLIMITED');
    expect(normalizeLimit('TIER_NOT_SET')).toBe('UNKNOWN');
    expect(normalizeLimit(1234)).toBe('UNKNOWN');
    expect(normalizeLimit(undefined)).toBe('UNKNOWN');
    expect(limitForPacing('UNKNOWN')).toBe(250);
    expect(limitForPacing('UNTIERED')).toBe(250);
    expect(limitForPacing('TIER_UNLIMITED')).toBe(Number.POSITIVE_INFINITY);
    expect(limitForPacing('TIER_10K')).toBe(10_000);
  });

  it('takes the highest limit any number or WABA of the portfolio reports', () => {
    expect(bestLimit(['UNKNOWN', 'TIER_250', 'TIER_2K', 'UNTIERED'])).toBe('TIER_2K');
    expect(bestLimit([])).toBe('UNKNOWN');
    expect(bestLimit(['TIER_UNLIMITED', 'TIER_100K'])).toBe('TIER_UNLIMITED');
  });

  it('maps NA to UNKNOWN quality and unknown statuses to UNKNOWN', () => {
    expect(normalizeQuality('NA')).toBe('UNKNOWN');
    expect(normalizeQuality('green')).toBe('GREEN');
    expect(normalizeTemplateStatus('IN_APPEAL')).toBe('IN_APPEAL');
    expect(normalizeTemplateStatus('SOMETHING_NEW')).toBe('UNKNOWN');
    expect(normalizeRejectedReason('NONE')).toBeNull();
    expect(normalizeRejectedReason('PROMOTIONAL')).toBe('PROMOTIONAL');
  });

  it('writes numbers in E.164 and languages with an underscore', () => {
    expect(displayToE164('+1 555-010-0100')).toBe('+15550100100');
    expect(displayToE164('+972 3-555-0100')).toBe('+97235550100');
    expect(displayToE164('(886) 2 5555 0100')).toBe('+886255550100');
    expect(displayToE164('')).toBe('');
    expect(normalizeLanguage('en-US')).toBe('en_US');
    expect(normalizeLanguage('zh_TW')).toBe('zh_TW');
  });

  it("lists a template's variables in order across header, body and URL buttons", () => {
    const positional = [
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
      { type: 'BODY', text: 'Hi {{1}}, order {{2}} arrives {{3}}.' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://x.example/t/{{1}}' }] },
    ];
    expect(templateVariables(positional)).toEqual(['1', '2', '3']);
    expect(headerFormat(positional)).toBe('TEXT');
    const named = [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'שלום {{first_name}}, {{ discount }} הנחה' },
    ];
    expect(templateVariables(named)).toEqual(['first_name', 'discount']);
    expect(headerFormat(named)).toBe('IMAGE');
    expect(headerFormat([{ type: 'BODY', text: 'x' }])).toBeNull();
  });
});
