import type { MethodName, OutputOf, ParsedInputOf } from '../../../shared/contract';

export interface CallContext {
  signal?: AbortSignal;
}

export type Handler<M extends MethodName> = (input: ParsedInputOf<M>, ctx: CallContext) => OutputOf<M> | Promise<OutputOf<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };
/** A domain's slice of the handler table. */
export type HandlerGroup<K extends MethodName> = { [M in K]: Handler<M> };
