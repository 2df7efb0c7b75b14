import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { DEFAULT_SCENARIO, startSandbox, type SandboxHandle } from '../../../electron/core/sandbox';
import { acceleratedClock } from '../../../electron/core/sandbox/accelerated-clock';

let sb: SandboxHandle | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('sandbox scenario timeline', () => {
  it('runs scripted events at their moment on the injected clock', async () => {
    const clock = new FakeClock();
    sb = await startSandbox({
      clock,
      scenario: {
        ...DEFAULT_SCENARIO,
        timeline: [
          { at_ms: 30 * 60_000, action: 'inbound', from: '+972541234567', kind: 'stop_text', language: 'he' },
          { at_ms: 3600_000, action: 'template_quality', name: 'spring_sale', language: 'he', quality: 'RED' },
          { at_ms: 2 * 3600_000, action: 'messaging_limit', limit: 'TIER_10K' },
          { at_ms: 2 * 3600_000, action: 'user_preferences', wa_id: '972541234568', value: 'stop' },
          { at_ms: 3 * 3600_000, action: 'throughput_upgrade', phone_number_id: '4000000000000001' },
          { at_ms: 3 * 3600_000, action: 'template_category', name: 'account_bonus', language: 'en_US', category: 'MARKETING' },
          {
            at_ms: 3 * 3600_000,
            action: 'webhook',
            field: 'account_update',
            value: { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'SCHEDULE_FOR_DISABLE' } },
          },
        ],
      },
    });
    const fields = () => sb!.webhookLog().map((e) => e.summary);
    await clock.advance(30 * 60_000 - 1);
    expect(fields()).toEqual([]);
    await clock.advance(1);
    expect(fields()).toEqual([expect.stringMatching(/^messages:text from 972541234567/)]);
    await clock.advance(30 * 60_000);
    expect(fields().slice(1)).toEqual(['template_quality:RED spring_sale/he', 'template_status:PAUSED spring_sale/he']);
    await clock.advance(3600_000);
    expect(sb.stats().portfolio.messaging_limit).toBe('TIER_10K');
    expect(fields()).toContain('user_preferences:stop 972541234568');
    await clock.advance(3600_000);
    expect(fields()).toContain('phone_number_quality_update:THROUGHPUT_UPGRADE 4000000000000001');
    expect(fields()).toContain('template_category_update:MARKETING account_bonus/en_US');
    expect(fields()).toContain('account_update:raw');
    expect(fields()).not.toContain('template_status:APPROVED spring_sale/he');
    await clock.advance(3600_000);
    expect(fields()).toContain('template_status:APPROVED spring_sale/he'); // paused at 1 h for 3 h
  });
});

describe('acceleratedClock', () => {
  it('runs time and timers faster by the factor', async () => {
    let real = 1_000_000;
    const clock = acceleratedClock(60, () => real);
    expect(clock.now()).toBe(1_000_000);
    real += 1000;
    expect(clock.now()).toBe(1_000_000 + 60_000);
    const t0 = Date.now();
    await new Promise<void>((r) => clock.setTimeout(r, 3000)); // 3 s sandbox time = 50 ms real
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(() => acceleratedClock(0)).toThrow(/positive/);
  });
});
