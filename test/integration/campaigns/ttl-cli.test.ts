/**
 * `pacer campaign create … --ttl DURATION` (CLI contract: marketing time-to-live) against the
 * Sandbox: stored as options.ttl in seconds, shown by `campaign plan`, bad durations exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWorld, createArgs, seedContacts } from './helpers';

describe('pacer campaign create --ttl', () => {
  const w = cliWorld();
  const { cli } = w;
  const create = (ttl: string, expectCode = 0) =>
    cli(
      [
        ...createArgs('Flash', 'spring_sale', 'all', { first_name: 'first_name', discount: '"20%"', end_date: '"April 30"' }),
        ...['--header-media', 'https://example.test/tent.jpg', '--ttl', ttl, '--json'],
      ],
      expectCode,
    );

  beforeAll(() => w.start({ tier: 'TIER_10K', seed: (core) => seedContacts(core, 5, { consent: 'marketing' }) }));
  afterAll(() => w.close());

  it('stores the TTL in seconds and the plan shows it', async () => {
    const c = await create('1h30m');
    const s = JSON.parse(c.out[0]!) as { id: string; options: { ttl?: number } };
    expect(s.options.ttl).toBe(5400);
    const human = await cli(['campaign', 'plan', s.id]);
    expect(human.out.join('\n')).toMatch(/Time-to-live: 1h 30m, send by \d{4}-\d\d-\d\dT[\d:.]+Z; 0 forecast send\(s\) may miss it/);
    const json = JSON.parse((await cli(['campaign', 'plan', s.id, '--json'])).out[0]!) as { ttl: { seconds: number; may_miss: number } };
    expect(json.ttl).toMatchObject({ seconds: 5400, may_miss: 0 });
  });

  it('refuses what is not a duration, or is outside 5m–30d, with exit 2', async () => {
    expect((await create('2x', 2)).err.join('\n')).toMatch(/--ttl takes a duration/);
    expect((await create('1m', 2)).err.join('\n')).toMatch(/--ttl must be 5m to 30d/);
    expect((await create('31d', 2)).err.join('\n')).toMatch(/--ttl must be 5m to 30d/);
  });
});
