import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import type { RateCardView, RateImportResult } from '../../../shared/contract/pricing';
import { tempDataDir } from '../../support/harness';

/** `pacer rates show|import|set|reset` on a data folder (no account needed). */
describe('pacer rates', () => {
  const dataDir = tempDataDir();
  const cli = async (args: string[], expectCode = 0) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, untilSignal: () => new Promise(() => {}) };
    const code = await runCli(['--data-dir', dataDir, ...args], io);
    expect(code, err.join('\n')).toBe(expectCode);
    return { out: out.join('\n'), err: err.join('\n') };
  };

  it("shows the shipped card, imports Meta's CSV, edits a rate, resets", async () => {
    const shown = await cli(['rates', 'show']);
    expect(shown.out).toContain("Meta's rate card of 2025-10-01 (shipped with Pacer); 432 rate(s)");
    expect(shown.out).toContain(
      'Meta changed rates since 2025-10-01 in EG, FR, IN, US, CA, SA, PK, TR, BD, IQ, NP, LK, KZ, KW, MA, OM, UA',
    );
    expect(shown.out).toMatch(/IL\s+MARKETING\s+0\.0353 USD/);
    const imp = JSON.parse(
      (await cli(['rates', 'import', path.join(__dirname, '../../fixtures/pricing/rate-card-test-usd.csv'), '--json'])).out,
    ) as RateImportResult;
    // 20 rates of the fixture's own markets + "Rest of Africa" (4 categories) for each of its 41 countries.
    expect(imp).toMatchObject({ imported: 20 + 4 * 41, markets: 5 + 41 });
    expect(imp.view.info).toMatchObject({ origin: 'imported', currency: 'USD', effective_from: '2026-10-01' });
    const set = JSON.parse((await cli(['rates', 'set', 'marketing', 'il', '0.04', '--currency', 'usd', '--json'])).out) as RateCardView;
    expect(set.info.edited).toBe(1);
    expect((await cli(['rates', 'show'])).out).toMatch(/IL\s+MARKETING\s+0\.04 USD {2}\(edited\)/);
    expect((await cli(['rates', 'set', 'cheap', 'IL', '1', '--currency', 'USD'], 2)).err).toContain('unknown category');
    const reset = JSON.parse((await cli(['rates', 'reset', '--json'])).out) as RateCardView;
    expect(reset.info).toMatchObject({ origin: 'shipped', rates: 432, edited: 0 });
  });
});
