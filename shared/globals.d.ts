/**
 * The globals shared/ may name that are not in the ES library. shared/ is checked with
 * `lib: ["ES2023"]` and no `types` (tsconfig.shared.json) so a browser-only or Node-only global
 * fails there; what is declared here exists in BOTH runtimes, and only the members shared/ uses
 * are given.
 *
 * This file is part of the shared config only: the renderer and preload programs see the DOM's
 * File, the core's sees Node's global File (Node 20+), and neither includes this file.
 */

/** A file the user picked (the contract's `uploadFile`): the DOM File in the renderer and preload. */
interface File {
  readonly name: string;
  readonly size: number;
  readonly type: string;
}
