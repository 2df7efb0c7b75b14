/**
 * Turns a store module (typed functions `(db, …args) => result`) into a repository object whose
 * methods take only `…args`: how the SQLite implementation of a domain's repository interface is
 * built without writing every signature twice.
 */
import type { Db } from './connection';

/** The methods of a store module with the Db argument bound. Non-function exports are left out. */
export type Bound<M> = {
  [K in keyof M as M[K] extends (db: Db, ...args: never[]) => unknown ? K : never]: M[K] extends (db: Db, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

export function bindStore<M extends object>(db: Db, store: M): Bound<M> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(store)) {
    if (typeof fn === 'function') out[name] = (...args: unknown[]) => (fn as (db: Db, ...a: unknown[]) => unknown)(db, ...args);
  }
  return out as Bound<M>;
}
