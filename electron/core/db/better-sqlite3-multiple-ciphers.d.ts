// better-sqlite3-multiple-ciphers ships an index.d.ts that its package.json "exports" map does not
// expose, so TypeScript's Bundler resolution cannot find it. Its API is better-sqlite3's (the key is
// given by PRAGMA, db/cipher.ts), so the driver is typed with @types/better-sqlite3.
declare module 'better-sqlite3-multiple-ciphers' {
  import Database from 'better-sqlite3';
  export = Database;
}
