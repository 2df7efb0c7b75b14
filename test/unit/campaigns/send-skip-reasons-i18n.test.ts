/**
 * Every reason the send gate can skip a row for (send-gate.ts) is shown translated in the recipients
 * table (renderer `skip.<reason>`): present and non-empty in en, he and zh-TW, and the Hebrew and
 * Chinese texts are not the English one or the raw reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEND_SKIP_REASONS } from '../../../electron/core/campaigns/send-gate';
import { SAME_PERSON } from '../../../electron/core/campaigns/one-per-person';
import { REPO } from '../../support/harness';

const skipTexts = (lang: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(REPO, 'renderer/i18n/locales', lang, 'campaigns.json'), 'utf8')) as {
      skip: Record<string, string>;
    }
  ).skip;

describe('send skip reasons are translated', () => {
  it('the one-per-person reason is a send skip reason', () => {
    expect(SEND_SKIP_REASONS).toContain(SAME_PERSON);
  });

  it.each(SEND_SKIP_REASONS)('%s in en, he and zh-TW', (reason) => {
    const en = skipTexts('en')[reason];
    expect(en, 'en').toMatch(/\S/);
    for (const lang of ['he', 'zh-TW']) {
      const text = skipTexts(lang)[reason];
      expect(text, lang).toMatch(/\S/);
      expect(text, lang).not.toBe(en);
      expect(text, lang).not.toContain(reason);
      expect(text, lang).not.toMatch(/[A-Za-z]{3,}/);
    }
  });
});
