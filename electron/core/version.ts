/** Replaced at build time by esbuild's define; falls back for tests run from source. */
declare const __PACER_VERSION__: string | undefined;
export const PACER_VERSION: string = typeof __PACER_VERSION__ !== 'undefined' ? __PACER_VERSION__ : '0.1.0-dev';
