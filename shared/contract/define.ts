import type { z } from 'zod';

/** A contract method: a zod schema for its input and a phantom type for its output (plain JSON). */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /** Never set at run time; carries the output type. */
  readonly __output?: O;
}

/** `method<Output>()(inputSchema)`: the output type is given explicitly, the input is inferred. */
export function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input });
}
