/**
 * The pace of a campaign while it sends (campaigns/pace.ts): sends per second, changed live — to
 * slow down a campaign whose replies the team cannot keep up with, or that other tools share the
 * number with. The sender applies it at once (and still adapts down on Meta's 130429).
 */
import { z } from 'zod';
import { method } from './define';

export const paceMethods = {
  'campaigns:set-pace': method<{ rate: number }>()(
    z
      .object({
        id: z.string().min(1).max(64),
        rate: z.number().int().min(1).max(1000),
      })
      .strict(),
  ),
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PaceEvents {}
export const paceEventNames = [] as const;
